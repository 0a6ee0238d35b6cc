import Foundation
import QuillKit
import Testing

/// A team at work: two coders code copies of the shipped study apart, the lead merges their
/// projects and measures their agreement.
@Suite struct CLITeamTests {
    /// A coder's work: source, segment numbers, code.
    typealias Work = [(source: String, segments: [Int], code: String)]

    static let evidence = "Evidence search and synthesis"
    static let quality = "Quality improvement capability"
    static let analytics = "Analytics"

    static let alice: Work = [
        ("interview-01-clinical-librarian", Array(2...9), evidence),
        ("interview-02-kls-manager", Array(3...8), quality),
        ("workshop-01-lhs-codesign", Array(1...5), evidence),
        ("interview-03-consultant-physician", [2, 3], analytics),
    ]
    static let bob: Work = [
        ("interview-01-clinical-librarian", Array(5...12), evidence),
        ("interview-02-kls-manager", [3, 5, 7, 9], quality),
        ("interview-03-consultant-physician", Array(1...4), analytics),
        ("workshop-01-lhs-codesign", [4], evidence),
    ]

    /// The shipped study after `quill run`, with a copy of the project for each coder.
    static func study() throws -> QuillRunner {
        let quill = try QuillRunner()
        for folder in ["Transcripts", "Codebooks"] {
            try FileManager.default.copyItem(
                at: QuillRunner.repository.appendingPathComponent(folder),
                to: quill.folder.appendingPathComponent(folder))
        }
        let run = try quill.run(["run"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(run.status == 0, "\(run.stderr)")
        // Closed, the project is all in its one file, ready to copy.
        let wal = quill.folder.appendingPathComponent("project.quill-wal")
        let walIsEmpty = try !FileManager.default.fileExists(atPath: wal.path) || Data(contentsOf: wal).isEmpty
        #expect(walIsEmpty)
        for coder in ["alice", "bob"] {
            try FileManager.default.copyItem(
                at: quill.folder.appendingPathComponent("project.quill"),
                to: quill.folder.appendingPathComponent("\(coder).quill"))
        }
        return quill
    }

    static func code(_ quill: QuillRunner, _ coder: String, _ work: Work) throws {
        for item in work {
            let result = try quill.run([
                "code", "--project", "\(coder).quill", item.source,
                item.segments.map(String.init).joined(separator: ","), item.code, "--coder", coder,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// The figures as JSON rows.
    static func rows(_ output: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    }

    /// Agreement counted the plain way, for two coders on binary data: the units each coded,
    /// out of `total` units.
    struct Counts {
        var total = 0
        var a = 0
        var b = 0
        var both = 0

        var agree: Int { total - (a - both) - (b - both) }
        var percent: Double { Double(agree) / Double(total) }
        var cohen: Double {
            let pa = Double(a) / Double(total), pb = Double(b) / Double(total)
            let chance = pa * pb + (1 - pa) * (1 - pb)
            return (percent - chance) / (1 - chance)
        }
        var scott: Double {
            let yes = Double(a + b) / Double(2 * total)
            let chance = yes * yes + (1 - yes) * (1 - yes)
            return (percent - chance) / (1 - chance)
        }
        var alpha: Double {
            // Krippendorff: n = 2N values; each disagreeing unit puts one pair in each off-diagonal cell.
            let n = Double(2 * total), ones = Double(a + b), zeros = n - ones
            let disagreeing = Double(total - agree)
            return 1 - (n - 1) * (2 * disagreeing) / (2 * ones * zeros)
        }

        static func + (lhs: Counts, rhs: Counts) -> Counts {
            Counts(total: lhs.total + rhs.total, a: lhs.a + rhs.a, b: lhs.b + rhs.b, both: lhs.both + rhs.both)
        }
    }

    static func counts(code: String, segments: Int, onlyCoded: Bool) -> Counts {
        func units(_ work: Work) -> Set<String> {
            Set(work.filter { $0.code == code }.flatMap { item in item.segments.map { "\(item.source)#\($0)" } })
        }
        let a = units(alice), b = units(bob)
        return Counts(total: onlyCoded ? a.union(b).count : segments, a: a.count, b: b.count, both: a.intersection(b).count)
    }

    /// A figure as printed (rounded to `places`) against the figure counted here.
    static func expectClose(_ value: Any?, _ expected: Double, places: Int = 3, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let number = (value as? NSNumber)?.doubleValue
        #expect(
            number.map { abs($0 - expected) <= 0.5 * pow(10, -Double(places)) + 1e-9 } == true,
            "\(what): \(String(describing: value)), expected \(expected)",
            sourceLocation: sourceLocation)
    }

    @Test func twoCodersCodeApartTheLeadMergesAndMeasuresAgreement() throws {
        let quill = try Self.study()
        defer { quill.cleanUp() }
        try Self.code(quill, "alice", Self.alice)
        try Self.code(quill, "bob", Self.bob)
        try quill.run([
            "memo", "add", "code:\(Self.evidence)", "--text", "Also informal look-ups, café chats 👍.", "--project", "bob.quill", "--coder", "bob",
        ])

        // The lead merges both; the files merged from are not touched.
        let aliceBytes = try Data(contentsOf: quill.folder.appendingPathComponent("alice.quill"))
        let bobBytes = try Data(contentsOf: quill.folder.appendingPathComponent("bob.quill"))
        let first = try quill.run(["merge", "alice.quill", "--coder", "lead"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("Merged alice.quill: 21 codings, 1 coder."))
        let afterAlice = try ContentDigest(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).contentDigest(
            researchOnly: true)
        let second = try quill.run(["merge", "bob.quill", "--coder", "lead"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("Merged bob.quill: 17 codings, 1 memo, 1 coder."))
        #expect(try Data(contentsOf: quill.folder.appendingPathComponent("alice.quill")) == aliceBytes)
        #expect(try Data(contentsOf: quill.folder.appendingPathComponent("bob.quill")) == bobBytes)

        // Again: nothing to merge, nothing changed.
        let digest = try quill.digest()
        let again = try quill.run(["merge", "bob.quill"])
        #expect(again.status == 0 && again.stderr.contains("Nothing to merge"))
        #expect(try quill.digest() == digest)
        let coders = try quill.run(["coders", "--format", "csv"]).stdout
        #expect(coders.contains("alice,21,0") && coders.contains("bob,17,1"))

        // The figures equal a count made here, segment by segment.
        let sources = try Self.rows(try quill.run(["sources", "--format", "json"]).stdout)
        let segments = sources.compactMap { ($0["segments"] as? NSNumber)?.intValue }.reduce(0, +)
        #expect(segments == 258)
        for onlyCoded in [false, true] {
            let result = try quill.run(["agreement", "--coders", "alice,bob", "--format", "json"] + (onlyCoded ? ["--only-coded"] : []))
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try Self.rows(result.stdout)
            let expectedCodes = [
                "Learning cycle (technical building blocks)/Data to knowledge/Analytics",
                "LHS capabilities/Knowledge management/Evidence search and synthesis",
                "LHS capabilities/Quality improvement capability", "(all codes, pooled)",
            ]
            #expect(rows.compactMap { $0["code"] as? String } == expectedCodes)
            var pooled = Counts()
            for (row, code) in zip(rows, [Self.analytics, Self.evidence, Self.quality]) {
                let counts = Self.counts(code: code, segments: segments, onlyCoded: onlyCoded)
                pooled = pooled + counts
                try Self.check(row, counts, code)
            }
            try Self.check(rows[3], pooled, "pooled")
            #expect(rows.allSatisfy { $0["unit"] as? String == "segment" && $0["uncoded_units"] as? String == (onlyCoded ? "left out" : "counted") })
        }

        // The disagreements: every segment one coded and the other did not.
        let listed = try Self.rows(try quill.run(["agreement", "--coders", "alice,bob", "--disagreements", "--format", "json"]).stdout)
        let expected = [Self.analytics, Self.evidence, Self.quality].map { Self.counts(code: $0, segments: segments, onlyCoded: true) }
            .reduce(0) { $0 + $1.a + $1.b - 2 * $1.both }
        #expect(listed.count == expected)
        let first01 = listed.first { ($0["source"] as? String) == "interview-01-clinical-librarian" && ($0["segment"] as? NSNumber)?.intValue == 2 }
        #expect(first01?["coded_by"] as? String == "alice" && first01?["not_coded_by"] as? String == "bob")
        #expect(first01?["speaker"] as? String != nil)

        // The terminal table says what the unit is and how uncoded units count.
        let table = try quill.run(["agreement", "--coders", "alice,bob", "--unit", "character"])
        #expect(
            table.stdout.contains("Unit: characters (Unicode scalars)")
                && table.stdout.contains("Units no coder coded with the code count as agreement"))

        // An unknown coder: one clear error listing the coders there are.
        let unknown = try quill.run(["agreement", "--coders", "alice,carol"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No coder is called 'carol'") && unknown.stderr.contains("alice, autocode, bob"))

        // Undo reverses the second merge whole.
        #expect(try quill.run(["undo"]).stderr.contains("merged bob.quill"))
        #expect(
            try ContentDigest(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).contentDigest(researchOnly: true)
                == afterAlice)
    }

    static func check(_ row: [String: Any], _ counts: Counts, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect((row["units"] as? NSNumber)?.intValue == counts.total, "\(what) units", sourceLocation: sourceLocation)
        #expect((row["coded"] as? NSNumber)?.intValue == counts.a + counts.b - counts.both, "\(what) coded", sourceLocation: sourceLocation)
        #expect((row["coded_by_all"] as? NSNumber)?.intValue == counts.both, "\(what) by all", sourceLocation: sourceLocation)
        expectClose(row["agreement_pct"], counts.percent * 100, places: 1, "\(what) agreement", sourceLocation: sourceLocation)
        expectClose(row["cohen_kappa"], counts.cohen, "\(what) Cohen", sourceLocation: sourceLocation)
        expectClose(row["fleiss_kappa"], counts.scott, "\(what) Fleiss", sourceLocation: sourceLocation)
        expectClose(row["krippendorff_alpha"], counts.alpha, "\(what) alpha", sourceLocation: sourceLocation)
    }

    @Test func conflictsStopTheMergeUnlessARuleIsGiven() throws {
        let quill = try Self.study()
        defer { quill.cleanUp() }
        try Self.code(quill, "bob", Self.bob)
        #expect(try quill.run(["codebook", "rename", "Analytics", "Data analytics", "--project", "bob.quill"]).status == 0)
        #expect(try quill.run(["codebook", "rename", "Analytics", "Analytics and insight"]).status == 0)
        let digest = try quill.digest()
        let stopped = try quill.run(["merge", "bob.quill"])
        #expect(stopped.status != 0)
        #expect(stopped.stderr.contains("bob.quill and this project conflict in 1 place:"))
        #expect(
            stopped.stderr.contains(
                "the code 'Learning cycle (technical building blocks)/Data to knowledge/Analytics and insight' here is 'Learning cycle (technical building blocks)/Data to knowledge/Data analytics' there"
            ))
        #expect(stopped.stderr.contains("Nothing was changed"))
        #expect(try quill.digest() == digest)

        let ours = try quill.run(["merge", "bob.quill", "--on-conflict", "ours"])
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stderr.contains("Conflict, kept ours"))
        let tree = try quill.run(["codebook", "tree", "--format", "csv"]).stdout
        #expect(tree.contains("Analytics and insight") && !tree.contains("Data analytics"))
        let second = try quill.run(["merge", "bob.quill", "--on-conflict", "ours"])
        #expect(second.stderr.contains("Nothing to merge"))
    }

    @Test func aFileThatIsNotAProjectIsRefused() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let digest = try quill.digest()
        let result = try quill.run(["merge", "interview-a.txt"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("interview-a.txt: this is not a Quill project"))
        #expect(try quill.digest() == digest)
        let missing = try quill.run(["merge", "nowhere.quill"])
        #expect(missing.status != 0 && missing.stderr.contains("there is no such file"))
    }
}
