// The security descriptors of Windows layers: our SDDL encoder against the bytes BuildKit and crane write.
import * as assert from "assert";
import { encodeSid, securityDescriptorFromSddl } from "../../components/assembly/securityDescriptor";

// The encodings others ship, with the SDDL their sources give for them:
// BuildKit util/winlayers/differ.go (addSecurityDescriptor), go-containerregistry internal/windows/windows.go.
const known: [string, string, string][] = [
    [
        "BuildKit's file descriptor",
        "O:BAG:SYD:(A;;FA;;;BA)(A;;FA;;;SY)(A;;0x1200a9;;;BU)",
        "AQAEgBQAAAAkAAAAAAAAADAAAAABAgAAAAAABSAAAAAgAgAAAQEAAAAAAAUSAAAAAgBMAAMAAAAAABgA/wEfAAECAAAAAAAFIAAAACACAAAAABQA/wEfAAEBAAAAAAAFEgAAAAAAGACpABIAAQIAAAAAAAUgAAAAIQIAAA==",
    ],
    [
        "BuildKit's folder descriptor",
        "O:BAG:SYD:(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;;FA;;;BA)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;LC;;;BU)(A;CI;DC;;;BU)",
        "AQAEgBQAAAAkAAAAAAAAADAAAAABAgAAAAAABSAAAAAgAgAAAQEAAAAAAAUSAAAAAgCoAAcAAAAAAxgA/wEfAAECAAAAAAAFIAAAACACAAAAAxQA/wEfAAEBAAAAAAAFEgAAAAAAGAD/AR8AAQIAAAAAAAUgAAAAIAIAAAALFAAAAAAQAQEAAAAAAAMAAAAAAAMYAKkAEgABAgAAAAAABSAAAAAhAgAAAAIYAAQAAAABAgAAAAAABSAAAAAhAgAAAAIYAAIAAAABAgAAAAAABSAAAAAhAgAA",
    ],
    [
        "crane's and ko's descriptor (no DACL)",
        "O:BUG:BU",
        "AQAAgBQAAAAkAAAAAAAAAAAAAAABAgAAAAAABSAAAAAhAgAAAQIAAAAAAAUgAAAAIQIAAA==",
    ],
];

describe("securityDescriptorFromSddl", () => {
    for (const [what, sddl, base64] of known) {
        it(`encodes ${what} byte for byte`, () => {
            assert.strictEqual(securityDescriptorFromSddl(sddl).toString("base64"), base64);
        });
    }

    it("gives the same bytes for a SID written out and for its alias", () => {
        assert.deepStrictEqual(
            securityDescriptorFromSddl("O:S-1-5-32-544G:S-1-5-18D:(A;;FA;;;S-1-5-32-545)"),
            securityDescriptorFromSddl("O:BAG:SYD:(A;;FA;;;BU)"),
        );
    });

    it("sets the DACL's protected flag and writes deny ACEs", () => {
        const sd = securityDescriptorFromSddl("O:BAD:P(D;;FW;;;WD)");
        assert.strictEqual(sd.readUInt16LE(2), 0x8000 | 0x1000 | 0x0004);
        const dacl = sd.subarray(sd.readUInt32LE(16));
        assert.deepStrictEqual([dacl[8], dacl.readUInt32LE(12)], [0x01, 0x120116]);
    });

    it("encodes SIDs as Windows does", () => {
        assert.strictEqual(encodeSid("BU").toString("hex"), "01020000000000052000000021020000");
        assert.strictEqual(encodeSid("S-1-1-0").toString("hex"), "010100000000000100000000");
    });

    const refused: [string, RegExp][] = [
        ["O:XXG:BU", /not a SID or a known SID alias/],
        ["O:BAD:(A;;QQ;;;BU)", /unknown code "QQ"/],
        ["O:BAD:(X;;FA;;;BU)", /type other than A/],
        ["O:BAD:(A;;FA;;BU)", /six fields/],
        ["O:BAS:(AU;;FA;;;BU)", /SACL/],
        ["O:BAhello", /not a SID/],
        ["O:BAO:BU", /appears twice/],
    ];
    for (const [sddl, message] of refused) {
        it(`refuses ${sddl}`, () => assert.throws(() => securityDescriptorFromSddl(sddl), message));
    }
});
