import Testing
import Formats
import Tabular

@Suite struct StandardizerTests {
    @Test func headersAreTrimmedAndCollapsed() {
        let standardizer = HeaderStandardizer()
        #expect(standardizer.standardize(["  First \t Name ", "Final Grade (%)", "a\nb"])
            == ["First Name", "Final Grade (%)", "a b"])
    }

    @Test func snakeCase() {
        let cases: [(String, String)] = [
            ("Final Grade (%)", "final_grade"), ("StudentID", "student_id"), ("Élève", "eleve"),
            ("HTTPStatus Code", "http_status_code"), ("firstName", "first_name"), ("Q1Score", "q1_score"),
            ("address2", "address2"), ("Straße Nr.", "strasse_nr"), ("  --Total--  ", "total"),
            ("Weight (kg)", "weight_kg"), ("ÆØÅ", "aeoa"), ("名前", "名前"), ("already_snake", "already_snake"),
            ("ID", "id"), ("Ça va?", "ca_va"),
        ]
        for (name, expected) in cases {
            #expect(HeaderStandardizer.snakeCased(name) == expected, "\(name)")
        }
    }

    @Test func emptyNamesAndDuplicates() {
        let plain = HeaderStandardizer()
        #expect(plain.standardize([nil, "", "  ", "a"]) == ["column_1", "column_2", "column_3", "a"])
        #expect(plain.standardize(["a", "a", "a_2", "a"]) == ["a", "a_3", "a_2", "a_4"])
        #expect(plain.standardize(["", "column_1"]) == ["column_1_2", "column_1"])
        #expect(plain.standardize(["Name", "name"]) == ["Name", "name"])
        let snake = HeaderStandardizer(snakeCase: true)
        #expect(snake.standardize(["Student ID", "student_id", "StudentID", "%", "Grade"])
            == ["student_id", "student_id_2", "student_id_3", "column_4", "grade"])
    }

    @Test func cellsAreTrimmedAndMissingValuesBecomeNil() {
        let standard = CellStandardizer()
        #expect(standard.standardize(["  a ", "", "   ", nil, "NA", "\u{00A0}b\u{00A0}", "c"])
            == ["a", nil, nil, nil, "NA", "b", "c"])
        let common = CellStandardizer(missingValues: ["", "NA", "N/A", "null"])
        #expect(common.standardize([" NA ", "N/A", "null", "NULL", "n/a "]) == [nil, nil, nil, "NULL", "n/a"])
        let raw = CellStandardizer(trimWhitespace: false, missingValues: [])
        #expect(raw.standardize([" a ", ""]) == [" a ", ""])
        let row = common.standardize(SourceRow(line: 4, cells: [" x", "NA"], extraKeys: []))
        #expect(row == SourceRow(line: 4, cells: ["x", nil]))
        #expect(CellStandardizer.commonMissingValues.contains("N/A"))
    }

    /// The character-by-character trim the byte paths must agree with.
    static func reference(_ text: String) -> String {
        guard let start = text.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[start...text.lastIndex(where: { !$0.isWhitespace })!])
    }

    @Test("trimming by bytes agrees with Character.isWhitespace, Unicode spaces and combining marks included")
    func trimAgreesWithCharacters() {
        let samples = ["", " ", "\t\r\n", "ok", " ok  ", "\tok\r\n", "a b", "  a b  ", "\u{A0}x\u{A0}", "x\u{3000}",
                       " \u{301}x", "x \u{301}", "\u{600} ", " é ", "é", " \u{1C}x\u{1F} ", "\u{85}x", "x\u{7F}", "\r\n\r\n",
                       " 🎉 ", "\u{2028}", "  \u{2009}a"]
        for sample in samples {
            #expect(CellStandardizer.trimmed(sample) == Self.reference(sample), "\(sample.unicodeScalars.map(\.value))")
        }
    }
}
