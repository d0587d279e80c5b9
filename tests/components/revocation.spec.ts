import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CodeSigningGuard, ProfileVersionRevocation } from "../../index";
import { MockState, ProgramError, runProgram, RunResult } from "../../engine/capture";
import { tempDir } from "./harness";

// Revocation across deployments, with the mock engine's redeploy support: an entry names its version fully and its
// command never runs again once deployed, even when the guard's profile is replaced in the same update.

const commandType = "command:local:Command";
const reason = "signing key leaked\"; rm -rf / #";
const effectiveTime = "2024-05-01T00:00:00Z";

function guardProgram(profilePrefix: string, revoked: ProfileVersionRevocation[]) {
    return () => {
        const guard = new CodeSigningGuard("team", { signingProfileNamePrefix: profilePrefix, revokedProfileVersions: revoked });
        return { versionArn: guard.signingProfileVersionArn, profileName: guard.signingProfileName };
    };
}

const commands = (run: RunResult) => run.resources.filter(r => r.type === commandType);
/** Commands a deployment would execute: `create` for new ones, `update` for changed ones. */
const commandsRun = (run: RunResult) => commands(run).filter(r => run.operations[r.urn] !== "same");

describe("revocation across deployments", () => {
    const state = new MockState();
    let first: RunResult;
    let replaced: RunResult;
    let again: RunResult;
    let oldVersionArn: string;

    before(async () => {
        first = await runProgram(guardProgram("team_v1_", []), { preview: false, state });
        oldVersionArn = first.stackOutputs.versionArn as string;
        const revoke = [{ profileVersionArn: oldVersionArn, reason, effectiveTime }];
        // Revoke v1 and replace the profile in the same update, then change the profile once more.
        replaced = await runProgram(guardProgram("team_v2_", revoke), { preview: false, state });
        again = await runProgram(guardProgram("team_v3_", revoke), { preview: false, state });
    });

    it("the update that replaces the profile revokes the old version, by its own name, version and Region", () => {
        const [old, oldName, oldVersion] = /^arn:aws:signer:us-east-1:\d{12}:\/signing-profiles\/(\w+)\/(\w+)$/.exec(oldVersionArn)!;
        assert.ok(old);
        assert.notStrictEqual(replaced.stackOutputs.versionArn, oldVersionArn, "the profile was replaced");
        assert.notStrictEqual(replaced.stackOutputs.profileName, oldName);
        const [cmd] = commandsRun(replaced);
        assert.strictEqual(commandsRun(replaced).length, 1);
        assert.strictEqual(replaced.operations[cmd.urn], "create");
        assert.deepStrictEqual(cmd.inputs.environment, { PROFILE_VERSION_ARN: oldVersionArn, PROFILE_NAME: oldName,
            PROFILE_VERSION: oldVersion, REASON: reason, EFFECTIVE_TIME: effectiveTime, AWS_REGION: "us-east-1" });
        assert.strictEqual(cmd.inputs.delete, undefined);
    });

    it("a later update that replaces the profile again runs no command and still targets the old version", () => {
        assert.notStrictEqual(again.stackOutputs.profileName, replaced.stackOutputs.profileName, "the profile changed again");
        assert.deepStrictEqual(commandsRun(again).map(r => r.name), []);
        assert.deepStrictEqual(commands(again).map(r => r.inputs), commands(replaced).map(r => r.inputs));
    });

    it("revoking the version the guard still trusts fails the update with the fix", async () => {
        const program = guardProgram("team_v3_", [{ profileVersionArn: again.stackOutputs.versionArn as string, reason, effectiveTime }]);
        await assert.rejects(runProgram(program, { preview: false, state }), (err: unknown) => {
            assert.ok(err instanceof ProgramError);
            assert.match(err.message, /revokedProfileVersions: revokes .* the version this guard's profile and code signing config still use\. Replace the profile/);
            return true;
        });
    });
});

describe("revocation command", () => {
    let cmd: RunResult["resources"][number];
    before(async () => {
        const run = await runProgram(guardProgram("team_", [{
            profileVersionArn: "arn:aws:signer:eu-west-1:123456789012:/signing-profiles/old_profile/Zz9Yy8Xx7W", reason, effectiveTime,
        }]), { preview: false });
        [cmd] = commands(run);
    });

    /** Runs one of the command's scripts with /bin/sh, as local.Command does, with a stub `aws` that logs its arguments. */
    function runScript(script: string): string[] {
        const dir = tempDir({ "aws": "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$AWS_STUB_LOG\"; done\n" });
        fs.chmodSync(path.join(dir, "aws"), 0o755);
        const log = path.join(dir, "calls.log");
        fs.writeFileSync(log, "");
        execFileSync("/bin/sh", ["-c", script], {
            env: { ...(cmd.inputs.environment as Record<string, string>), PATH: `${dir}:${process.env.PATH}`, AWS_STUB_LOG: log },
            stdio: ["ignore", "ignore", "inherit"],
        });
        return fs.readFileSync(log, "utf8").split("\n").filter(Boolean);
    }

    it("create calls RevokeSigningProfile with each value as one argument, in the version's Region", () => {
        assert.deepStrictEqual(runScript(cmd.inputs.create as string), ["signer", "revoke-signing-profile",
            "--profile-name", "old_profile", "--profile-version", "Zz9Yy8Xx7W", "--reason", reason,
            "--effective-time", effectiveTime, "--region", "eu-west-1"]);
    });

    it("update (what a changed entry would run) calls no AWS API", () => {
        assert.deepStrictEqual(runScript(cmd.inputs.update as string), []);
    });
});
