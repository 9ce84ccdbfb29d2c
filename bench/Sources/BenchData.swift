import Foundation

/// The benchmark input: a gradebook-like CSV with ten columns; about 1 row in 50 is
/// invalid (a missing required cell), some cells carry quotes, commas or padding.
enum BenchData {
    static func write(rows: Int, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let courses = ["Mathematics", "Physics", "Computer Science", "History", "Biology", "Art, Design"]
        var buffer = "student_id,name,course,category,term,grade,credits,attendance,submitted,comment\n"
        for i in 1...rows {
            let course = courses[i % courses.count]
            let grade = i % 50 == 0 ? "" : String(40 + (i * 7919) % 61)
            let comment = i % 13 == 0 ? "\"said \"\"hello\"\", twice\"" : (i % 5 == 0 ? " padded " : "ok")
            buffer += "S\(i),Student \(i),\"\(course)\",cat-\(i % 8),2026-T\(1 + i % 3),\(grade),\(1 + i % 6),"
            buffer += "0.\(10 + i % 90),2026-09-\(String(format: "%02d", 1 + i % 28)),\(comment)\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
