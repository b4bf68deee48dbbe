// Windows security descriptors in binary self-relative form, from the part of SDDL that image layers use.
//
// A Windows layer carries each file's descriptor base64-encoded in the PAX record `MSWINDOWS.rawsd` (go-winio's
// backuptar, which Docker's and containerd's importers use). The layout is the one Windows' own conversion
// (ConvertStringSecurityDescriptorToSecurityDescriptor) writes: the 20-byte header, the owner, the group, the DACL.

/** Well-known SIDs by their SDDL alias. */
const sidAliases: Readonly<Record<string, string>> = {
    BA: "S-1-5-32-544", // BUILTIN\Administrators
    BU: "S-1-5-32-545", // BUILTIN\Users
    BG: "S-1-5-32-546", // BUILTIN\Guests
    SY: "S-1-5-18", // NT AUTHORITY\SYSTEM
    LS: "S-1-5-19", // NT AUTHORITY\LOCAL SERVICE
    NS: "S-1-5-20", // NT AUTHORITY\NETWORK SERVICE
    AU: "S-1-5-11", // NT AUTHORITY\Authenticated Users
    WD: "S-1-1-0", // Everyone
    CO: "S-1-3-0", // CREATOR OWNER
    CG: "S-1-3-1", // CREATOR GROUP
};

/** Access rights by their SDDL code: generic, standard, file and directory-service rights. */
const rightCodes: Readonly<Record<string, number>> = {
    GA: 0x10000000,
    GX: 0x20000000,
    GW: 0x40000000,
    GR: 0x80000000,
    FA: 0x001f01ff,
    FR: 0x00120089,
    FW: 0x00120116,
    FX: 0x001200a0,
    SD: 0x00010000,
    RC: 0x00020000,
    WD: 0x00040000,
    WO: 0x00080000,
    CC: 0x00000001,
    DC: 0x00000002,
    LC: 0x00000004,
    SW: 0x00000008,
    RP: 0x00000010,
    WP: 0x00000020,
    DT: 0x00000040,
    LO: 0x00000080,
    CR: 0x00000100,
};

/** ACE flags by their SDDL code. */
const aceFlagCodes: Readonly<Record<string, number>> = { OI: 0x01, CI: 0x02, NP: 0x04, IO: 0x08, ID: 0x10 };
/** ACE types by their SDDL code: access allowed and access denied. */
const aceTypeCodes: Readonly<Record<string, number>> = { A: 0x00, D: 0x01 };
/** DACL flags by their SDDL code, as security descriptor control bits. */
const daclFlagCodes: Readonly<Record<string, number>> = { P: 0x1000, AI: 0x0400, AR: 0x0100 };

const selfRelative = 0x8000;
const daclPresent = 0x0004;

/** Throws for SDDL this encoder does not read, naming the part. */
function refuse(sddl: string, part: string, why: string): never {
    throw new Error(`Cannot encode the security descriptor ${JSON.stringify(sddl)}: ${part} ${why}.`);
}

/** A SID (`S-1-5-32-545`, or an alias such as `BU`) in binary form: revision, count, authority, sub-authorities. */
export function encodeSid(text: string): Buffer {
    const sid = sidAliases[text] ?? text;
    const match = /^S-1-(\d+)((?:-\d+)*)$/.exec(sid);
    if (!match) throw new Error(`${JSON.stringify(text)} is not a SID or a known SID alias`);
    const authority = Number(match[1]);
    const subAuthorities = match[2] === "" ? [] : match[2].slice(1).split("-").map(Number);
    if (subAuthorities.length > 15 || subAuthorities.some((s) => s > 0xffffffff) || authority > 0xffffffffffff)
        throw new Error(`${JSON.stringify(text)} is out of range for a SID`);
    const out = Buffer.alloc(8 + 4 * subAuthorities.length);
    out[0] = 1;
    out[1] = subAuthorities.length;
    out.writeUIntBE(authority, 2, 6);
    subAuthorities.forEach((s, i) => out.writeUInt32LE(s, 8 + 4 * i));
    return out;
}

/** Splits a string of two-letter codes (`OICI`, `FA`) into its codes, each of which must be known. */
function codes(text: string, known: Readonly<Record<string, number>>, sddl: string, part: string): number {
    let value = 0;
    for (let i = 0; i < text.length; i += 2) {
        const code = text.slice(i, i + 2);
        if (!(code in known)) refuse(sddl, part, `has the unknown code ${JSON.stringify(code)}`);
        value |= known[code];
    }
    return value >>> 0;
}

/** One ACE, `(type;flags;rights;object;inherited object;sid)`, in binary form. */
function encodeAce(ace: string, sddl: string): Buffer {
    const fields = ace.split(";");
    if (fields.length !== 6) refuse(sddl, `(${ace})`, "is not an ACE of six fields");
    const [type, flags, rights, objectGuid, inheritedGuid, sid] = fields;
    if (!(type in aceTypeCodes)) refuse(sddl, `(${ace})`, "has a type other than A (allow) or D (deny)");
    if (objectGuid !== "" || inheritedGuid !== "") refuse(sddl, `(${ace})`, "names object types");
    const mask = /^0x[0-9a-fA-F]{1,8}$/.test(rights)
        ? parseInt(rights, 16)
        : codes(rights, rightCodes, sddl, `(${ace})`);
    const sidBytes = encodeSid(sid);
    const out = Buffer.alloc(8 + sidBytes.length);
    out[0] = aceTypeCodes[type];
    out[1] = codes(flags, aceFlagCodes, sddl, `(${ace})`);
    out.writeUInt16LE(out.length, 2);
    out.writeUInt32LE(mask >>> 0, 4);
    sidBytes.copy(out, 8);
    return out;
}

/** An ACL (revision 2) of the given ACEs. */
function encodeAcl(aces: Buffer[]): Buffer {
    const header = Buffer.alloc(8);
    const size = 8 + aces.reduce((sum, ace) => sum + ace.length, 0);
    header[0] = 2;
    header.writeUInt16LE(size, 2);
    header.writeUInt16LE(aces.length, 4);
    return Buffer.concat([header, ...aces]);
}

/** The `O:`, `G:` and `D:` parts of an SDDL string. */
function sddlParts(sddl: string): { owner?: string; group?: string; dacl?: string } {
    const parts: Record<string, string> = {};
    const pattern = /([OGDS]):([^:]*?)(?=[OGDS]:|$)/gy;
    let match: RegExpExecArray | null;
    let end = 0;
    while ((match = pattern.exec(sddl)) !== null) {
        if (match[1] in parts) refuse(sddl, `${match[1]}:`, "appears twice");
        parts[match[1]] = match[2];
        end = pattern.lastIndex;
        if (end === sddl.length) break;
    }
    if (end !== sddl.length) refuse(sddl, JSON.stringify(sddl.slice(end)), "is not an SDDL part");
    if ("S" in parts) refuse(sddl, "S:", "(a SACL) is not supported");
    return { owner: parts.O, group: parts.G, dacl: parts.D };
}

/**
 * The binary self-relative security descriptor an SDDL string describes: owner (`O:`), group (`G:`) and DACL (`D:`
 * with flags `P`, `AI`, `AR` and allow or deny ACEs), with SIDs written out (`S-1-5-32-545`) or as aliases (`BU`).
 * No SACL. A descriptor without `D:` has no DACL (control bit SE_DACL_PRESENT clear).
 */
export function securityDescriptorFromSddl(sddl: string): Buffer {
    const { owner, group, dacl } = sddlParts(sddl);
    let control = selfRelative;
    const blocks: { offsetAt: number; bytes: Buffer }[] = [];
    if (owner !== undefined) blocks.push({ offsetAt: 4, bytes: encodeSid(owner) });
    if (group !== undefined) blocks.push({ offsetAt: 8, bytes: encodeSid(group) });
    if (dacl !== undefined) {
        control |= daclPresent;
        const open = dacl.indexOf("(");
        const flags = open < 0 ? dacl : dacl.slice(0, open);
        const aceText = open < 0 ? "" : dacl.slice(open);
        for (const flag of flags.match(/AI|AR|P|./g) ?? []) {
            if (!(flag in daclFlagCodes)) refuse(sddl, "D:", `has the unknown flag ${JSON.stringify(flag)}`);
            control |= daclFlagCodes[flag];
        }
        if (!/^(\([^()]*\))*$/.test(aceText)) refuse(sddl, "D:", "is not a list of (ACE)s");
        const aces = [...aceText.matchAll(/\(([^()]*)\)/g)].map((m) => encodeAce(m[1], sddl));
        blocks.push({ offsetAt: 16, bytes: encodeAcl(aces) });
    }
    const header = Buffer.alloc(20);
    header[0] = 1;
    header.writeUInt16LE(control, 2);
    let offset = header.length;
    for (const block of blocks) {
        header.writeUInt32LE(offset, block.offsetAt);
        offset += block.bytes.length;
    }
    return Buffer.concat([header, ...blocks.map((b) => b.bytes)]);
}
