import CreditKit
import Foundation
import Testing

/// The alert's `To:` is exactly one address, and every header the outbox writes is
/// valid RFC 5322 with RFC 2047 encoded words, as a strict parser (Python's `email`, with
/// `policy.strict`) reads it.
@Suite("Alert mail headers (R24)")
struct MailHeaderTests {
    /// Parses an RFC 5322 message strictly; prints JSON: every header's defects, the `To:`
    /// addresses, and the decoded Subject.
    static let parser = """
    import email, json, sys
    from email import policy
    with open(sys.argv[1], 'rb') as f:
        message = email.message_from_binary_file(f, policy=policy.strict)
    defects = [str(d) for d in message.defects]
    headers = {}
    for name in message.keys():
        header = message[name]
        defects += ['%s: %s' % (name, d) for d in getattr(header, 'defects', ())]
        headers[name] = str(header)
    to = message['To']
    print(json.dumps({'defects': defects, 'headers': headers,
                      'to': [a.addr_spec for a in to.addresses],
                      'subject': str(message['Subject'])}))
    """

    /// The strict parse of `path`, or an issue when the parser raised.
    static func parse(_ cli: CLI, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let script = cli.scratch + "/parse_mail.py"
        try parser.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try cli.runTool("/usr/bin/env", ["python3", script, path])
        try #require(result.status == 0, "a strict RFC 5322 parser refused the message: \(result)\n\((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")", sourceLocation: sourceLocation)
        return try result.jsonObject(sourceLocation: sourceLocation)
    }

    @Test("workspace create refuses an owner that is not exactly one address: nothing written",
          arguments: ["sam@x.com>,victim@evil.com,<x", "sam@x.com,victim@evil.com", "a@b@c", "<sam@x.com>", "sam@x.com(eve@evil.com)"])
    func ownerMustBeOneAddress(owner: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", as: People.support)
        let before = try cli.journal()
        let result = try cli.run("workspace", "create", "acme", "--name", "Acme", "--owner", owner, "--plan", "pro", as: People.support)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("owner"), "\(result)")
        #expect(try cli.journal() == before)
    }

    /// A workspace whose long, non-ASCII name holds what looks like an encoded word and quotes.
    static let name = "Ünïcødé Tées \"Ltd\" =?utf-8?B?SGFja2Vk?= 東京デザイン — " + String(repeating: "ä", count: 40)

    @Test("R24: every header of the alert parses strictly, To: has one address, the Subject decodes to the text")
    func R24_alertHeadersAreStrictRFC5322() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", as: People.support)
        try cli.ok("workspace", "create", "acme", "--name", Self.name, "--owner", "olga@example.com", "--plan", "pro", as: People.support)
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", "dora", "--plan", "pro", as: People.support)
        for ws in ["acme", "beta"] {
            try cli.ok("adjust", ws, "+12", "--reason", "seed", as: People.support)
            try cli.ok("adjust", ws, "-4", "--reason", "low", as: People.support)      // 8: low alert
            try cli.ok("adjust", ws, "-8", "--reason", "empty", as: People.support)    // 0: empty alert
        }
        let files = cli.files(in: cli.outboxNew)
        #expect(files.count == 4, "\(files)")
        for file in files {
            let parsed = try Self.parse(cli, cli.outboxNew + "/" + file)
            #expect((parsed["defects"] as? [String]) == [], "\(file): \(parsed)")
            let to = parsed["to"] as? [String] ?? []
            #expect(to == ["olga@example.com"] || to == ["dora@localhost"], "\(file): \(to)")
            let subject = parsed["subject"] as? String ?? ""
            #expect(subject.hasPrefix("[CreditDesk] "), "\(subject)")
            if to == ["olga@example.com"] {
                #expect(subject.hasPrefix("[CreditDesk] " + Self.name + ": "), "the encoded words do not decode to the name: \(subject)")
            }
            let raw = try String(contentsOfFile: cli.outboxNew + "/" + file, encoding: .utf8)
            let headerBlock = raw.components(separatedBy: "\n\n").first ?? ""
            #expect(headerBlock.unicodeScalars.allSatisfy { $0.isASCII }, "a header carries raw non-ASCII: \(headerBlock)")
            for line in headerBlock.split(separator: "\n") { #expect(line.count <= 78, "a header line longer than 78: \(line)") }
        }
    }

    @Test("R24: an older ledger's owner with a second recipient gets an alert addressed to nobody, never to the victim")
    func R24_olderLedgerOwnerNeverAddsARecipient() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let hostile = "sam@x.com>,victim@evil.com,<x"
        try cli.makeAcme(credits: 20)
        try cli.rewriteAsOlderLedger { entry in
            if entry.kind == .workspace { entry.owner = hostile; entry.name = "Acme\u{9B}2J\u{85}Tees" }
            if entry.kind == .member { entry.actor = hostile }
        }
        let sendmail = cli.scratch + "/sendmail.sh"
        try "#!/bin/sh\ncat > \"\(cli.scratch)/piped.eml\"\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let result = try cli.ok(["adjust", "acme", "-12", "--reason", "low"], as: People.support,
                                environment: ["CREDITDESK_SENDMAIL": sendmail])
        let files = cli.files(in: cli.outboxNew)
        #expect(files.count == 1, "\(files)")
        let parsed = try Self.parse(cli, cli.outboxNew + "/" + (files.first ?? "?"))
        #expect((parsed["defects"] as? [String]) == [], "\(parsed)")
        #expect((parsed["to"] as? [String]) == [], "\(parsed)")
        let raw = try String(contentsOfFile: cli.outboxNew + "/" + (files.first ?? "?"), encoding: .utf8)
        #expect(!raw.contains("victim@evil.com>") && !raw.contains("<victim"), "\(raw)")
        #expect(steeringCharacters(in: raw).isEmpty, "\(raw)")
        #expect(!FileManager.default.fileExists(atPath: cli.scratch + "/piped.eml"), "the message was handed to sendmail")
        #expect(result.stderr.contains("no valid recipient"), "\(result)")
    }
}
