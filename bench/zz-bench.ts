import { checkScale } from "./checkScale";
checkScale([
    { kind: "signed", count: 100, typeCheck: true },
    { kind: "signed", count: 300, typeCheck: true },
    { kind: "signed", count: 1000, typeCheck: true },
    { kind: "signed", count: 1000, typeCheck: false },
    { kind: "raw", count: 3000, typeCheck: true },
], (l) => process.stderr.write(l + "\n")).then((r) => process.stdout.write(JSON.stringify(r, null, 2)));
