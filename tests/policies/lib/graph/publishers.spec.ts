import * as assert from "assert";
import {
    arnIdentity,
    buildStackGraph,
    comparePublishers,
    describeAllowed,
    parseSignerArn,
    partitionOf,
    profileAllowed,
    profileNameFromArn,
} from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN, UNKNOWN_ARRAY } from "../../helpers";
import { ACCOUNT, PROVIDER_URN, csc, job, profile, profileArn, provider, res } from "./fixtures";

const ver = (name: string, v = "v1", region = "us-east-1", account = ACCOUNT) => `${profileArn(name, region, account)}/${v}`;

describe("policies/lib/graph/publishers", () => {
    it("parses signer (version) ARNs into partition, Region, account, name and version", () => {
        assert.deepStrictEqual(parseSignerArn("arn:aws:signer:us-east-1:123456789012:/signing-profiles/app_profile/AbCdEf1234"),
            { partition: "aws", region: "us-east-1", account: "123456789012", name: "app_profile", version: "AbCdEf1234" });
        assert.deepStrictEqual(parseSignerArn("arn:aws-us-gov:signer:us-gov-west-1:123456789012:/signing-profiles/x"),
            { partition: "aws-us-gov", region: "us-gov-west-1", account: "123456789012", name: "x" });
        assert.strictEqual(parseSignerArn("arn:aws:lambda:us-east-1:1:function:x"), undefined);
        assert.strictEqual(parseSignerArn("arn:aws:signer:us-east-1:1:/signing-profiles/a/b/c"), undefined);
        assert.strictEqual(profileNameFromArn(ver("n")), "n");
        assert.deepStrictEqual(arnIdentity(ver("n")), { label: ver("n"), partition: "aws", region: "us-east-1", account: ACCOUNT, name: "n", version: "v1" });
        assert.strictEqual(arnIdentity("nope"), undefined);
        assert.deepStrictEqual(parseSignerArn("arn:aws:signer::123456789012:/signing-profiles/x"), { partition: "aws", account: "123456789012", name: "x" },
            "an empty part is no part");
        assert.strictEqual(comparePublishers(arnIdentity("arn:aws:signer::123456789012:/signing-profiles/x")!, arnIdentity(ver("x", "v1", "us-east-1", "123456789012"))!), "unproven");
    });

    it("derives the partition from the Region", () => {
        const cases: Array<[string | undefined, string | undefined]> = [
            ["us-east-1", "aws"], ["eu-west-1", "aws"], ["us-gov-west-1", "aws-us-gov"], ["cn-north-1", "aws-cn"],
            ["us-iso-east-1", "aws-iso"], ["us-isob-east-1", "aws-iso-b"], ["eu-isoe-west-1", "aws-iso-e"], ["us-isof-south-1", "aws-iso-f"],
            [undefined, undefined], ["", undefined],
        ];
        for (const [region, partition] of cases) {
            assert.strictEqual(partitionOf(region), partition, String(region));
        }
    });

    it("compares identities: same resource, known parts equal, any known part different, or unproven", () => {
        const full = { label: "a", partition: "aws", region: "us-east-1", account: "1", name: "n", version: "v" };
        assert.strictEqual(comparePublishers({ resource: "u1", label: "a" }, { resource: "u1", label: "b" }), "same");
        assert.strictEqual(comparePublishers({ ...full, resource: "u1" }, { ...full, resource: "u2" }), "different");
        assert.strictEqual(comparePublishers(full, { ...full, label: "b" }), "same");
        for (const part of ["partition", "region", "account", "name", "version"] as const) {
            assert.strictEqual(comparePublishers(full, { ...full, [part]: "other" }), "different", part);
            const missing = { ...full };
            delete missing[part];
            assert.strictEqual(comparePublishers(full, missing), "unproven", part);
            assert.strictEqual(comparePublishers(missing, full), "unproven", part);
        }
        assert.strictEqual(comparePublishers({ ...full, resource: "u1" }, { ...full, version: "x" }), "different", "a resource against a literal compares parts");
        assert.strictEqual(comparePublishers({ ...full, resource: "u1" }, full), "same", "a resource against a literal with equal parts");
        assert.strictEqual(comparePublishers(full, { ...full, resource: "u1" }), "same", "a literal against a resource with equal parts");
        assert.strictEqual(comparePublishers({ ...full, resource: "u1" }, { label: "b", name: "n" }), "unproven");
        assert.strictEqual(comparePublishers({ label: "a", name: "n", region: "eu-west-1" }, { label: "b", name: "n", region: "us-east-1" }), "different");
    });

    it("builds in-stack profile identities from props, the resource's region and its provider", () => {
        const g = buildStackGraph([
            provider("eu-central-1"),
            profile("p1"),
            profile("p2", { region: "us-west-2" }),
            profile("p3", { name: "p3n", version: "V3", versionArn: `${profileArn("p3n", "us-west-1")}/V3`, arn: profileArn("p3n", "us-west-1") }),
            res(T.nativeProfile, "np", { profileName: "np_n", profileVersion: "NV", profileVersionArn: UNKNOWN }),
            profile("p4", { region: UNKNOWN }, { propertyDependencies: { region: [PROVIDER_URN] } }),
            profile("p5", { region: UNKNOWN }),
        ]);
        const ids = Object.fromEntries(g.signingProfiles.map(p => [p.name, p.identity]));
        assert.deepStrictEqual(ids.p1, { resource: g.signingProfiles[0].urn, label: `SigningProfile "p1" (eu-central-1)`, partition: "aws", region: "eu-central-1", name: "p1_n" });
        assert.deepStrictEqual(ids.p2.region, "us-west-2");
        assert.deepStrictEqual(ids.p3, { resource: g.signingProfiles[2].urn, label: `SigningProfile "p3" (eu-central-1)`, partition: "aws", region: "us-west-1", account: ACCOUNT, name: "p3n", version: "V3" });
        assert.deepStrictEqual(ids.np, { resource: g.signingProfiles[3].urn, label: `SigningProfile "np" (eu-central-1)`, partition: "aws", region: "eu-central-1", name: "np_n", version: "NV" });
        assert.strictEqual(ids.p4.region, undefined, "an explicit region that is unknown stays unknown");
        assert.strictEqual(ids.p5.region, "eu-central-1", "an unknown region without dependencies is the provider default");
        assert.deepStrictEqual(g.signingProfiles[2].arns, [`${profileArn("p3n", "us-west-1")}/V3`, profileArn("p3n", "us-west-1")]);
    });

    it("a profile's partition, Region and account come from its version ARN, else from its ARN", () => {
        const g = buildStackGraph([
            provider(),
            profile("by-version", { versionArn: ver("bv_n", "V1", "us-east-1", "111122223333"), arn: UNKNOWN }),
            profile("by-arn", { versionArn: UNKNOWN, arn: profileArn("ba_n", "us-east-1", "111122223333") }),
        ]);
        assert.deepStrictEqual(g.signingProfiles.map(p => p.identity), [
            { resource: g.signingProfiles[0].urn, label: `SigningProfile "by-version" (us-east-1)`, partition: "aws", region: "us-east-1", account: "111122223333", name: "by-version_n", version: "V1" },
            { resource: g.signingProfiles[1].urn, label: `SigningProfile "by-arn" (us-east-1)`, partition: "aws", region: "us-east-1", account: "111122223333", name: "by-arn_n" },
        ]);
        const arnOnly = buildStackGraph([provider(), res(T.profile, "arn-only", { name: "ao", arn: profileArn("ao") })]).signingProfiles[0];
        assert.deepStrictEqual(arnOnly.arns, [profileArn("ao")], "only the ARNs that are set");
    });

    it("a job's candidates: every profile its profileName derives from, plus what a known name names", () => {
        const a = profile("a");
        const b = profile("b");
        const ssm = res("aws:ssm/parameter:Parameter", "ssm", {});
        const both = job("both", a, { profileName: "b_n" }, { propertyDependencies: { profileName: [a.urn, b.urn] } });
        const extra = job("extra", a, { profileName: "zzz" });
        const other = job("other", a, { profileName: UNKNOWN }, { propertyDependencies: { profileName: [ssm.urn, a.urn] } });
        const lost = job("lost", UNKNOWN);
        const wrong = job("wrong", "x", { profileName: 7 });
        const g = buildStackGraph([provider(), a, b, ssm, both, extra, other, lost, wrong]);
        const cands = Object.fromEntries(g.signingJobs.map(j => [j.name, j.profiles.map(p => (p.kind === "profile" ? p.identity.label : `? ${p.reason}`))]));
        assert.deepStrictEqual(cands, {
            both: [`SigningProfile "a" (us-east-1)`, `SigningProfile "b" (us-east-1)`],
            extra: [`SigningProfile "a" (us-east-1)`, `profile "zzz" in us-east-1`],
            other: [`? its profileName derives from aws:ssm/parameter:Parameter "ssm", which is not a SigningProfile of this stack`, `SigningProfile "a" (us-east-1)`],
            lost: ["? its profileName is unknown during preview and traces to no SigningProfile in this stack"],
            wrong: ["? its profileName is 7"],
        });
        const literal = g.signingJobs.find(j => j.name === "extra")!.profiles[1];
        assert.deepStrictEqual(literal, { kind: "profile", identity: { label: `profile "zzz" in us-east-1`, partition: "aws", region: "us-east-1", name: "zzz" } });
    });

    it("a job's candidates are listed once each: a profile reached directly and through a component, distinct non-profile sources", () => {
        const comp = res("acme:index:Signing", "signing", {});
        const a = profile("a", {}, { parent: comp.urn });
        const b = profile("b");
        const ssm = res("aws:ssm/parameter:Parameter", "ssm", {});
        const pet = res("random:index/randomPet:RandomPet", "pet", {});
        const twice = job("twice", a, { profileName: UNKNOWN }, { propertyDependencies: { profileName: [a.urn, b.urn, comp.urn] } });
        const others = job("others", a, { profileName: UNKNOWN }, { propertyDependencies: { profileName: [ssm.urn, pet.urn] } });
        const g = buildStackGraph([provider(), comp, a, b, ssm, pet, twice, others]);
        const ids = Object.fromEntries(g.signingProfiles.map(p => [p.name, p.identity]));
        const cands = Object.fromEntries(g.signingJobs.map(j => [j.name, j.profiles]));
        assert.deepStrictEqual(cands, {
            twice: [{ kind: "profile", identity: ids.a }, { kind: "profile", identity: ids.b }],
            others: [
                { kind: "unidentifiable", reason: `its profileName derives from aws:ssm/parameter:Parameter "ssm", which is not a SigningProfile of this stack` },
                { kind: "unidentifiable", reason: `its profileName derives from random:index/randomPet:RandomPet "pet", which is not a SigningProfile of this stack` },
            ],
        });
    });

    it("a literal profile name is the in-stack profile of that name only in the same Region and account (provider)", () => {
        const east = profile("east", { name: "orders" });
        const west = profile("west", { name: "orders", region: "us-west-2" });
        const otherProvider = profile("other", { name: "orders" }, { provider: "urn:pulumi:dev::proj::pulumi:providers:aws::second::1" });
        const jEast = job("j-east", "orders");
        const jWest = job("j-west", "orders", { region: "us-west-2" });
        const jNowhere = job("j-nowhere", "orders", { region: UNKNOWN }, { propertyDependencies: { region: [east.urn] } });
        const g = buildStackGraph([provider(), provider("us-east-1", "second"), east, west, otherProvider, jEast, jWest, jNowhere]);
        const first = (n: string) => g.signingJobs.find(j => j.name === n)!.profiles.map(p => (p.kind === "profile" ? p.identity.resource ?? p.identity.label : p.reason));
        assert.deepStrictEqual(first("j-east"), [east.urn]);
        assert.deepStrictEqual(first("j-west"), [west.urn]);
        assert.deepStrictEqual(first("j-nowhere"), [`profile "orders"`], "Region unknown: a literal identity that proves nothing");
    });

    it("allowed publishers: literal ARNs, in-stack profiles by dependency or known ARN, and ambiguity", () => {
        const p1 = profile("p1");
        const p2 = profile("p2");
        const p3 = profile("p3", { versionArn: ver("p3_n", "K") });
        const lit = csc("lit", [], { allowedPublishers: { signingProfileVersionArns: [ver("ext"), "not-an-arn", ver("ext2"), 5, ver("ext"), null] } });
        const deps = csc("deps", [p1, p2]);
        const known = csc("known", [], { allowedPublishers: { signingProfileVersionArns: [ver("p3_n", "K")] } });
        const picked = res(T.csc, "picked", { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, policies: { untrustedArtifactOnDeployment: "Enforce" } }, { allowedPublishers: [p1.urn, p2.urn] });
        const whole = res(T.csc, "whole", { allowedPublishers: { signingProfileVersionArns: UNKNOWN_ARRAY } }, { allowedPublishers: [p1.urn] });
        const g = buildStackGraph([provider(), p1, p2, p3, lit, deps, known, picked, whole]);
        const c = Object.fromEntries(g.codeSigningConfigs.map(x => [x.name, x]));
        assert.deepStrictEqual(c.lit.allowed, [{ identity: arnIdentity(ver("ext")) }, { identity: arnIdentity(ver("ext2")) }], "each distinct ARN once");
        assert.strictEqual(c.lit.publisherCount, 6);
        assert.deepStrictEqual(c.deps.allowed.map(e => [e.identity.resource, e.ambiguous]), [[p1.urn, undefined], [p2.urn, undefined]]);
        assert.deepStrictEqual(c.known.allowed.map(e => e.identity.resource), [p3.urn]);
        assert.deepStrictEqual(c.picked.allowed.map(e => e.ambiguous), [
            "1 element(s) of its allowedPublishers.signingProfileVersionArns come from in-stack resources, but they derive from 2, so it can't be told which signing profiles are listed",
            "1 element(s) of its allowedPublishers.signingProfileVersionArns come from in-stack resources, but they derive from 2, so it can't be told which signing profiles are listed",
        ]);
        assert.strictEqual(c.whole.publisherCount, "unknown");
        assert.match(c.whole.allowed[0].ambiguous!, /list is computed as a whole/);
        const cand = (p: typeof p1) => ({ kind: "profile" as const, identity: g.signingProfiles.find(x => x.urn === p.urn)!.identity });
        assert.ok(profileAllowed(c.deps, cand(p2)));
        assert.ok(!profileAllowed(c.picked, cand(p1)), "an ambiguous entry never allows");
        assert.ok(profileAllowed(c.known, cand(p3)));
        assert.ok(!profileAllowed(c.known, { kind: "unidentifiable", reason: "x" }));
        assert.strictEqual(describeAllowed(c.deps), `SigningProfile "p1" (us-east-1), SigningProfile "p2" (us-east-1)`);
        assert.match(describeAllowed(c.picked), /^SigningProfile "p1" \(us-east-1\) \(not provably listed: 1 element/);
        assert.strictEqual(describeAllowed({ allowed: [] }), "no identifiable profile");
    });

    it("allowed publishers derived from a component are its SigningProfiles; a list that is null or absent allows none", () => {
        const comp = res("acme:index:Signing", "signing", {});
        const inner = profile("inner", {}, { parent: comp.urn });
        const viaComp = res(T.csc, "via-comp", { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] } }, { allowedPublishers: [comp.urn] });
        const nullList = res(T.csc, "null-list", { allowedPublishers: { signingProfileVersionArns: null } });
        const absent = res(T.csc, "absent", {});
        const g = buildStackGraph([provider(), comp, inner, viaComp, nullList, absent]);
        const c = Object.fromEntries(g.codeSigningConfigs.map(x => [x.name, x]));
        assert.deepStrictEqual(c["via-comp"].allowed, [{ identity: g.signingProfiles[0].identity }]);
        assert.deepStrictEqual([c["null-list"].publisherCount, c["null-list"].allowed, c.absent.publisherCount, c.absent.allowed], [0, [], 0, []]);
    });

    it("a known element resolving to a dependency profile is definite even when other dependencies are ambiguous (update mode)", () => {
        const p1 = profile("p1", { versionArn: ver("p1_n", "A") });
        const p2 = profile("p2", { versionArn: ver("p2_n", "B") });
        const picked = res(T.csc, "picked", { allowedPublishers: { signingProfileVersionArns: [ver("p1_n", "A")] } }, { allowedPublishers: [p1.urn, p2.urn] });
        const mixed = res(T.csc, "mixed", { allowedPublishers: { signingProfileVersionArns: [ver("ext"), ver("p1_n", "A")] } }, { allowedPublishers: [p1.urn, p2.urn] });
        const g = buildStackGraph([provider(), p1, p2, picked, mixed]);
        const [i1, i2] = g.signingProfiles.map(p => p.identity);
        const ambiguous = "1 element(s) of its allowedPublishers.signingProfileVersionArns come from in-stack resources, but they derive from 2, so it can't be told which signing profiles are listed";
        assert.deepStrictEqual(g.codeSigningConfigs[0].allowed, [{ identity: i1 }, { identity: i2, ambiguous }]);
        assert.deepStrictEqual(g.codeSigningConfigs[1].allowed, [{ identity: arnIdentity(ver("ext")) }, { identity: i1 }, { identity: i2, ambiguous }],
            "a literal ARN outside the stack accounts for no dependency");
    });

    it("template CSCs: each element resolved on its own; an entry is ambiguous only if no element lists it for sure", () => {
        const tplProfile = (n: string) => ({ Type: "AWS::Signer::SigningProfile", Properties: { PlatformId: "AWSLambda-SHA384-ECDSA", ProfileName: n } });
        const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "ProfileVersionArn"] });
        const either = (x: string, y: string) => ({ "Fn::If": ["IsProd", arnOf(x), arnOf(y)] });
        const cscOf = (arns: unknown[]) => ({ Type: "AWS::Lambda::CodeSigningConfig", Properties: { AllowedPublishers: { SigningProfileVersionArns: arns } } });
        const body = JSON.stringify({
            Parameters: { ProfileArn: { Type: "String" } },
            Resources: {
                P1: tplProfile("p1"), P2: tplProfile("p2"), P3: tplProfile("p3"),
                Settled: cscOf([either("P1", "P2"), arnOf("P1")]),
                Open: cscOf([either("P1", "P2"), either("P1", "P3")]),
                FromParameter: cscOf([{ Ref: "ProfileArn" }]),
            },
        });
        const p = profile("p");
        const j = job("j", p);
        const stack = res(T.cfnStack, "cfn", { templateBody: body, parameters: { ProfileArn: UNKNOWN } }, { parameters: [p.urn, j.urn] });
        const g = buildStackGraph([provider(), p, j, stack]);
        const id = Object.fromEntries(g.signingProfiles.map(x => [x.name, x.identity]));
        const c = Object.fromEntries(g.codeSigningConfigs.map(x => [x.name, x.allowed]));
        const may = (el: number) => `element ${el} of AllowedPublishers.SigningProfileVersionArns may be any of 2 signing profiles`;
        assert.deepStrictEqual(c, {
            "cfn/Settled": [{ identity: id["cfn/P1"] }, { identity: id["cfn/P2"], ambiguous: may(1) }],
            "cfn/Open": [{ identity: id["cfn/P1"], ambiguous: may(1) }, { identity: id["cfn/P2"], ambiguous: may(1) }, { identity: id["cfn/P3"], ambiguous: may(2) }],
            "cfn/FromParameter": [{ identity: id.p }],
        }, "a parameter's dependencies are the stack's: only its signing profiles are publishers");
        const cand = (name: string) => ({ kind: "profile" as const, identity: id[name] });
        assert.deepStrictEqual([cand("cfn/P1"), cand("cfn/P2")].map(x => profileAllowed({ allowed: c["cfn/Settled"] }, x)), [true, false]);
        assert.deepStrictEqual([cand("cfn/P1"), cand("cfn/P3")].map(x => profileAllowed({ allowed: c["cfn/Open"] }, x)), [false, false]);
    });
});
