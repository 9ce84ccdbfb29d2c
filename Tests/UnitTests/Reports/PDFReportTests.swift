import Foundation
import Reports
import Contracts
import Tabular
import Testing

/// The PDF report and PNG charts, checked with poppler's `pdftotext`, `pdfinfo` and
/// `pdftoppm`.
@Suite
struct PDFReportTests {
    /// A realistic report: grades of 2,000 students with accented names, a validation
    /// outcome and a per-course aggregate.
    static func sampleContent(extraColumns: Int = 0) throws -> ReportContent {
        let header = ["student", "course", "grade", "credits", "completed", "city"]
            + (0..<extraColumns).map { "metric_\($0)" }
        var statistics = TableStatistics(columnNames: header)
        let spec = AggregateSpec(groupBy: ["course"], metrics: [
            MetricSpec(name: "avg_grade", fn: .mean, column: "grade"),
            MetricSpec(name: "students", fn: .count),
            MetricSpec(name: "completion", fn: .rate, column: "completed"),
        ])
        var aggregator = try GroupAggregator(specs: [spec], columns: header)
        var random = SplitMix64(seed: 42)
        let courses = ["Mathématiques", "Physik für Anfänger", "Economics (€)", "Art"]
        let cities = ["Zürich", "Genève", "München", "Köln", "Lyon", "Bern"]
        for index in 0..<2_000 {
            var row: [CellValue] = [
                .string("student-\(index)"),
                .string(courses[Int(random.next() % 4)]),
                index % 50 == 0 ? .null : .number((random.normal() * 12 + 72).rounded()),
                .integer(Int64(random.next() % 6 + 1)),
                .bool(random.unit() < 0.8),
                .string(cities[min(Int(random.unit() * random.unit() * 6), 5)]),
            ]
            for _ in 0..<extraColumns { row.append(.number(random.normal())) }
            statistics.add(row: row)
            aggregator.add(row: row)
        }
        var validation = ValidationSummary(rowsTotal: 2_040, rowsValid: 2_000, rowsInvalid: 40)
        for index in 0..<55 {
            let code = index % 3 == 0 ? "missing-cell" : index % 3 == 1 ? "constraint-error" : "type-error"
            validation.record(ValidationIssue(
                line: 10 + index * 37, field: "grade", code: code,
                message: "grade must be a number between 0 and 100 — got something else entirely, "
                    + "which is a long message that must be shortened",
                value: index % 2 == 0 ? "abc" : "-\(index)"))
        }
        return ReportContent(
            title: "Grades import — spring term",
            subtitle: "Résumé of job output for Zoë Müller",
            job: JobMetadata(
                id: "job-7f3a9c", name: "grades-import", tags: ["term": "2025-S1", "owner": "registrar"],
                status: "succeeded", submittedAt: "2025-03-01T08:00:00Z", startedAt: "2025-03-01T08:00:02Z",
                finishedAt: "2025-03-01T08:01:47Z"),
            kpis: [
                KPI(label: "Average grade", value: "72.4", detail: "over 1,960 graded"),
                KPI(label: "Completion rate", value: "80.1%"),
                KPI(label: "Students", value: "2,000"),
                KPI(label: "Revenue", value: "€ 12,345.50", detail: "fees paid"),
                KPI(label: "Courses", value: "4"),
            ],
            columns: statistics.summary.columns,
            validation: validation,
            aggregates: aggregator.tables)
    }

    /// A scratch directory for this suite's files, removed by each test when done.
    let directory: URL

    init() throws {
        directory = try ReportTestSupport.scratchDirectory("pdf")
    }

    /// Writes `bytes` to a file in `directory` and returns its path.
    func write(_ bytes: [UInt8], name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// `pdftotext` output with runs of whitespace collapsed, so phrases match across layout.
    static func text(of path: String) throws -> String {
        let result = try ReportTestSupport.run("/usr/bin/pdftotext", ["-enc", "UTF-8", path, "-"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The page count from `pdfinfo`.
    static func pages(of path: String) throws -> Int {
        let result = try ReportTestSupport.run("/usr/bin/pdfinfo", [path])
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return Int(line?.split(separator: " ").last ?? "") ?? 0
    }

    @Test func reportContainsEverySection() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = try Self.sampleContent()
        let bytes = try PDFReport(content).render()
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let path = try write(bytes, name: "sample.pdf")
        let text = try Self.text(of: path)
        let expected = [
            "Grades import — spring term", "Résumé of job output for Zoë Müller",
            "job-7f3a9c", "grades-import", "succeeded", "2025-03-01T08:01:47Z", "owner=registrar, term=2025-S1",
            "Average grade", "72.4", "80.1%", "€ 12,345.50", "over 1,960 graded",
            "Validation", "2,040", "2,000", "98.0%", "55 issues recorded", "missing-cell", "constraint-error",
            "First 25 errors", "Column summary", "student", "course", "grade", "credits", "completed", "city",
            "Aggregates: by course", "79.5%", "Mathématiques", "Physik für Anfänger", "Economics (€)",
            "Charts", "Distribution of grade", "Distribution of credits", "Top values of course",
            "Top values of city", "Top values of completed", "Zürich", "Köln", "Page 1",
        ]
        for phrase in expected {
            #expect(text.contains(phrase), "missing \"\(phrase)\"")
        }
        // Long messages are shortened with an ellipsis rather than overflowing the cell.
        #expect(text.contains("…"))
        #expect(!text.contains("must be shortened"))
        // The student id column never repeats a value: a bar chart would be all ones.
        #expect(!text.contains("Top values of student"))

        let info = try ReportTestSupport.run("/usr/bin/pdfinfo", [path]).stdout
        #expect(info.contains("Title:") && info.contains("Grades import"))
        #expect(info.contains("Page size:") && info.contains("595.276 x 841.89 pts (A4)"))
        let fonts = try ReportTestSupport.run("/usr/bin/pdffonts", [path]).stdout
        #expect(fonts.contains("DejaVuSans"))
    }

    @Test func pageCountGrowsWithColumns() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let narrow = try Self.pages(of: write(try PDFReport(try Self.sampleContent()).render(), name: "narrow.pdf"))
        let wide = try Self.pages(of: write(
            try PDFReport(try Self.sampleContent(extraColumns: 120)).render(), name: "wide.pdf"))
        #expect(narrow >= 2)
        #expect(wide > narrow + 2, "narrow \(narrow) pages, wide \(wide) pages")
    }

    @Test func chartCapsAreHonoured() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = try Self.sampleContent(extraColumns: 30)
        let options = PDFReportOptions(maxHistograms: 3, maxBarCharts: 1)
        let text = try Self.text(of: write(try PDFReport(content, options: options).render(), name: "caps.pdf"))
        #expect(text.contains("Distribution of grade"))
        #expect(text.contains("Distribution of metric_0"))
        #expect(!text.contains("Distribution of metric_1"))
        #expect(text.contains("Top values of course"))
        #expect(!text.contains("Top values of city"))
    }

    @Test func minimalReportRendersOnePage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = ReportContent(title: "Empty job", job: JobMetadata(id: "j-1", name: "nothing"))
        let path = try write(try PDFReport(content).render(), name: "minimal.pdf")
        #expect(try Self.pages(of: path) == 1)
        #expect(try Self.text(of: path).contains("Empty job"))
    }

    /// Renders the sample's first page to a PNG (under `.build/test-artifacts`), proving the
    /// PDF rasterizes.
    @Test
    func samplePageImage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try write(try PDFReport(try Self.sampleContent()).render(), name: "sample.pdf")
        let target = directory.appendingPathComponent("sample-page-1").path
        let result = try ReportTestSupport.run("/usr/bin/pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", path, target])
        #expect(result.status == 0, "\(result.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: target + ".png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]))
    }

    @Test func pngChartHasRequestedSize() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = try Self.sampleContent()
        let grade = try #require(content.columns.first { $0.name == "grade" })
        let chart = try #require(Chart.histogram(of: grade))
        let png = PNGChart(chart, width: 300, height: 180, scale: 2)
        let bytes = try png.render()
        #expect(bytes.starts(with: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        // IHDR: width and height as big-endian 32-bit integers at offsets 16 and 20.
        func word(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(word(16) == 600 && word(20) == 360)

        let city = try #require(content.columns.first { $0.name == "city" })
        let bars = try #require(Chart.topValues(of: city))
        #expect(bars.title == "Top values of city")
        #expect(try PNGChart(bars).render().count > 1_000)
    }
}
