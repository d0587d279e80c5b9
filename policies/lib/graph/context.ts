/**
 * Reference resolution state: the nodes built so far, by id and by known ARN, and the one way a reference's sources
 * are expanded (through components) and filtered (shared sources keep only the relevant kinds).
 */
import type {
    CodeSigningConfigNode,
    LayerVersionNode,
    Reference,
    SigningJobNode,
    SigningProfileNode,
    SourceRef,
} from "./model";
import type { CopySpec, ProfileSpec } from "./specs";
import type { StackIndex } from "./stackIndex";
import { SourceKind, kindOf } from "./tokens";

export interface ClassifiedSource {
    src: SourceRef;
    kind: SourceKind;
    /** Set when the source is a member of a component the value derives from. */
    component?: SourceRef;
}

export function sourceLabel(src: SourceRef): string {
    return `${src.type || "resource"} "${src.name}"`;
}

export class GraphContext {
    readonly profiles = new Map<string, SigningProfileNode>();
    readonly profilesByName = new Map<string, Array<{ node: SigningProfileNode; spec: ProfileSpec }>>();
    readonly profileByArn = new Map<string, SigningProfileNode>();
    readonly jobs = new Map<string, SigningJobNode>();
    readonly cscs = new Map<string, CodeSigningConfigNode>();
    readonly cscByArn = new Map<string, CodeSigningConfigNode>();
    readonly layers = new Map<string, LayerVersionNode>();
    readonly layerByArn = new Map<string, LayerVersionNode>();
    readonly copies = new Map<string, CopySpec>();

    constructor(readonly index: StackIndex) {}

    /**
     * The sources of a reference, classified. A source with children is a component whose output the value came
     * from: its members of the relevant kinds take its place (or it stays, as "other", when it has none). Shared
     * sources (recorded for a whole object) keep only the relevant kinds. A stack reference is never a candidate:
     * its outputs are known values, so the value itself is judged.
     */
    classify(ref: Reference, relevant: readonly SourceKind[]): ClassifiedSource[] {
        const out: ClassifiedSource[] = [];
        for (const src of ref.sources) {
            const kind = kindOf(src.type);
            if (kind === "reference") {
                continue;
            }
            if (kind !== "other") {
                if (!ref.shared || relevant.includes(kind)) {
                    out.push({ src, kind });
                }
                continue;
            }
            const members = src.urn.includes("#") ? undefined : this.index.componentMembers(src);
            const wanted = (members ?? []).filter(m => relevant.includes(kindOf(m.type)));
            if (wanted.length > 0) {
                out.push(...wanted.map(m => ({ src: m, kind: kindOf(m.type), component: src })));
            } else if (!ref.shared) {
                out.push({ src, kind: "other" });
            }
        }
        return out;
    }

    /** In-stack profiles with this known name, in this Region, deployed by this provider (hence in the same account). */
    profilesNamed(name: string, region: string | undefined, providerUrn: string | undefined): SigningProfileNode[] {
        if (region === undefined) {
            return [];
        }
        return (this.profilesByName.get(name) ?? [])
            .filter(({ spec }) => spec.region === region && spec.providerUrn === providerUrn && spec.template === undefined)
            .map(({ node }) => node);
    }
}
