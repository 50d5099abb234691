import Foundation
import LedgerCore
import Setup

/// Paths and scratch directories shared by the Setup tests.
enum TestSupport {
    /// The package root, found from this file's path (Tests/SetupTests/TestSupport.swift).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A fresh, empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("neraca-setup-tests-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `ledger.yaml` and `accounts.yaml` (each when given) into a new temporary directory.
    static func setupDirectory(ledger: String?, accounts: String?) throws -> String {
        let directory = try temporaryDirectory()
        if let ledger { try ledger.write(toFile: directory + "/ledger.yaml", atomically: true, encoding: .utf8) }
        if let accounts { try accounts.write(toFile: directory + "/accounts.yaml", atomically: true, encoding: .utf8) }
        return directory
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every item of a journal given as text.
    static func items(_ text: String, chunkBytes: Int = JournalReader.defaultChunkBytes) throws(JournalError) -> [JournalItem] {
        let reader = JournalReader(text: text, file: "test.journal", chunkBytes: chunkBytes)
        var items: [JournalItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    /// The transactions of a journal given as text.
    static func transactions(_ text: String) throws(JournalError) -> [JournalTransaction] {
        try items(text).compactMap { item in
            if case .transaction(let transaction) = item { return transaction }
            return nil
        }
    }

    /// The error reading `text` throws, or nil when it reads without error.
    static func journalError(_ text: String) -> JournalError? {
        journalError(bytes: Array(text.utf8))
    }

    static func journalError(bytes: [UInt8]) -> JournalError? {
        let reader = JournalReader(bytes: bytes, file: "test.journal")
        do throws(JournalError) {
            while try reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }
}

