import Foundation
import Synchronization

/// Where the CLI writes: results to stdout, errors to stderr, each line flushed.
///
/// Tests bind `capture` (a task-local) to collect the lines instead, so commands can be
/// run in parallel tests through `NeracaCommand.run(arguments:)`.
enum Output {
    @TaskLocal static var capture: OutputCapture?

    static func line(_ text: String) {
        if let capture { capture.append(stdout: text) } else { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    static func error(_ text: String) {
        if let capture { capture.append(stderr: text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }
}

/// Lines a command printed, collected for tests.
final class OutputCapture: Sendable {
    private let lines = Mutex<(stdout: [String], stderr: [String])>(([], []))

    init() {}

    func append(stdout text: String) { lines.withLock { $0.stdout.append(text) } }
    func append(stderr text: String) { lines.withLock { $0.stderr.append(text) } }

    var stdout: String { lines.withLock { $0.stdout.joined(separator: "\n") } }
    var stderr: String { lines.withLock { $0.stderr.joined(separator: "\n") } }
}

/// How a report is printed.
enum OutputFormat: String, CaseIterable {
    /// Aligned columns for people.
    case table
    /// RFC 4180 CSV with plain decimals, for spreadsheets and scripts.
    case csv
    /// JSON, for scripts.
    case json
}
