import Testing

@testable import QuillKit

@Suite struct TableTests {
    static let tricky = Table(
        columns: [
            .init("name", "Name"), .init("note", "Note"), .init("count", "Count", numeric: true),
            .init("share", "Share", numeric: true), .init("flag", "Flag"),
        ],
        rows: [
            [.text("plain"), .text("a, b"), .int(3), .decimal(2.0 / 3.0 * 100, places: 1), .bool(true)],
            [.text("say \"hi\""), .text("line one\nline two"), .int(-1), .none, .bool(false)],
            [.text("pipe | and \\ slash"), .text("tab\there 👍🏽 café"), .int(0), .decimal(0, places: 2), .none],
        ])

    @Test func csvQuotesCommasQuotesAndNewlinesWithCRLFLineEnds() {
        let csv = Self.tricky.render(.csv)
        #expect(
            csv == "name,note,count,share,flag\r\n"
                + "plain,\"a, b\",3,66.7,true\r\n"
                + "\"say \"\"hi\"\"\",\"line one\nline two\",-1,,false\r\n"
                + "pipe | and \\ slash,tab\there 👍🏽 café,0,0.00,\r\n")
    }

    @Test func csvQuotesACarriageReturn() {
        let table = Table(columns: [.init("a", "A")], rows: [[.text("x\ry")]])
        #expect(table.render(.csv) == "a\r\n\"x\ry\"\r\n")
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() {
        let json = Self.tricky.render(.json)
        #expect(
            json == """
                [
                  {"name": "plain", "note": "a, b", "count": 3, "share": 66.7, "flag": true},
                  {"name": "say \\"hi\\"", "note": "line one\\nline two", "count": -1, "share": null, "flag": false},
                  {"name": "pipe | and \\\\ slash", "note": "tab\\there 👍🏽 café", "count": 0, "share": 0.00, "flag": null}
                ]

                """)
    }

    @Test func jsonStringEscapes() {
        #expect(JSON.string("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSON.string("\u{0}\u{1}\u{1F}\r\n\t") == #""\u0000\u0001\u001f\r\n\t""#)
        #expect(JSON.string("\u{2028}\u{2029}") == #""\u2028\u2029""#)
        // Emoji, accents and other text are kept as they are, not escaped.
        #expect(JSON.string("👍🏽 café 🇬🇧 知識") == "\"👍🏽 café 🇬🇧 知識\"")
        #expect(JSON.string("") == "\"\"")
    }

    @Test func jsonOfAnEmptyTable() {
        #expect(Table(columns: [.init("a", "A")], rows: []).render(.json) == "[]\n")
    }

    @Test func markdownEscapesPipesAndBackslashesAndFoldsNewlines() {
        let md = Self.tricky.render(.md)
        #expect(
            md == """
                | Name | Note | Count | Share | Flag |
                | --- | --- | ---: | ---: | --- |
                | plain | a, b | 3 | 66.7 | yes |
                | say "hi" | line one line two | -1 |  | no |
                | pipe \\| and \\\\ slash | tab\there 👍🏽 café | 0 | 0.00 |  |

                """)
    }

    @Test func markdownIndentsByDepth() {
        let table = Table(
            columns: [.init("code", "Code"), .init("n", "N", numeric: true)],
            rows: [[.text("Top"), .int(1)], [.text("Child"), .int(2)]], indents: [0, 1])
        #expect(table.render(.md) == "| Code | N |\n| --- | ---: |\n| Top | 1 |\n| \u{A0}\u{A0}Child | 2 |\n")
    }

    @Test func textAlignsColumns() {
        let table = Table(
            columns: [.init("code", "Code"), .init("n", "Count", numeric: true)],
            rows: [[.text("Evidence"), .int(12)], [.text("Data"), .int(3)]], indents: [0, 1])
        #expect(
            table.render(.table) == """
                Code      Count
                --------  -----
                Evidence     12
                  Data        3

                """)
    }
}
