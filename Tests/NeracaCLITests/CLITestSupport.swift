import Foundation
@testable import NeracaCLI
import NeracaTestSupport
import Testing

/// What one `neraca` invocation printed and returned.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `neraca ARGS` in-process through the parsed command, capturing its output.
func neraca(_ arguments: [String]) -> CLIResult {
    let capture = OutputCapture()
    let status = Output.$capture.withValue(capture) { NeracaCommand.run(arguments: arguments) }
    return CLIResult(status: status, stdout: capture.stdout, stderr: capture.stderr)
}

func neraca(_ arguments: String...) -> CLIResult { neraca(arguments) }

/// The repository's root directory, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh directory for one test, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("neraca-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A ledger initialised from Ledgers/bangkit in a temporary directory.
final class BangkitLedger {
    let directory: TemporaryDirectory
    let db: String

    init() throws {
        directory = try TemporaryDirectory()
        db = directory.path("ledger.sqlite")
        let result = neraca("init", "--db", db, "--ledger", repositoryRoot.appendingPathComponent("Ledgers/bangkit").path)
        guard result.status == 0 else { throw TestFailure("init failed: \(result.stderr)") }
    }

    /// Runs `neraca COMMAND --db DB ARGS`.
    func run(_ command: String, _ arguments: String...) -> CLIResult {
        neraca([command, "--db", db] + arguments)
    }

    /// Posts `json` from a file; returns the result.
    func post(_ json: String) throws -> CLIResult {
        let file = try directory.write("entry-\(UUID().uuidString).json", json)
        return run("post", "--file", file, "--author", "tester")
    }

    /// The trial balance as (account, currency) → balance text, from `balance --format csv`.
    func balances() throws -> [String: String] {
        let result = run("balance", "--format", "csv")
        guard result.status == 0 else { throw TestFailure("balance failed: \(result.stderr)") }
        var balances: [String: String] = [:]
        for fields in parseCSV(result.stdout).dropFirst() {
            balances[fields[0] + " " + fields[3]] = fields[6]
        }
        return balances
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs an external program to completion.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> CLIResult {
    let outcome = try ExternalProgram(path: executable).run(arguments, input: stdin)
    return CLIResult(status: outcome.status, stdout: outcome.output, stderr: outcome.errorOutput)
}

/// The path of a program on $PATH, or nil.
func which(_ name: String) -> String? {
    ExternalProgram.find(name)?.path
}

/// The built `neraca` executable next to the test bundle (scripts/test builds it first).
func neracaExecutable() throws -> String {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neraca").path
    for candidate in [beside, repositoryRoot.appendingPathComponent(".build/debug/neraca").path]
    where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    throw TestFailure("the neraca executable is not built: run scripts/test (swift build --build-tests first)")
}

/// Writes a generated NGO journal of `transactions` transactions with ../shared/bench/gen_journal.py.
func generateJournal(_ transactions: Int, into directory: TemporaryDirectory) throws -> String {
    let generator = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/gen_journal.py").path
    guard FileManager.default.fileExists(atPath: generator) else {
        throw TestFailure("journal generator missing at \(generator)")
    }
    guard let python = which("python3") else { throw TestFailure("python3 is not installed") }
    let output = directory.path("generated-\(transactions).journal")
    let result = try runProcess(python, [generator, String(transactions), "-o", output])
    guard result.status == 0 else { throw TestFailure("gen_journal failed: \(result.stderr)") }
    return output
}

/// Splits RFC 4180 CSV text into rows of fields (quoted fields may hold commas and quotes).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(text).makeIterator()
    while let character = iterator.next() {
        if quoted {
            if character == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { field.append("\"") } else {
                        quoted = false
                        if next == "," { row.append(field); field = "" } else if next == "\n" {
                            row.append(field); rows.append(row); row = []; field = ""
                        } else { field.append(next) }
                    }
                } else { quoted = false }
            } else { field.append(character) }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field); field = ""
        } else if character == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(character)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
