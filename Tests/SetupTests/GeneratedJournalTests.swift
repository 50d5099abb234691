import Foundation
import LedgerCore
import Setup
import Testing

/// Reads a journal written by the benchmark generator (`../shared/bench/gen_journal.py`)
/// and checks it against the generator's own counts and an independent reading of the text.
@Suite struct GeneratedJournalTests {
    static let generator = TestSupport.repositoryRoot + "/../shared/bench/gen_journal.py"
    static let python = "/usr/bin/python3"
    static var generatorAvailable: Bool {
        FileManager.default.fileExists(atPath: generator) && FileManager.default.isExecutableFile(atPath: python)
    }

    /// Runs the generator; returns the journal's path and the counts it reports on stderr
    /// (`gen_journal: 1000 transactions, 2475 postings (2.475/txn), 197 accounts`).
    static func generate(transactions: Int, into directory: String) throws -> (path: String, counts: [Int]) {
        let path = directory + "/generated.journal"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [generator, String(transactions), "-o", path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let report = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "generator failed: \(report)")
        let counts = report.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (path, counts)
    }

    @Test(.enabled(if: generatorAvailable, "needs ../shared/bench/gen_journal.py and python3"))
    func readsAThousandGeneratedTransactions() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let (path, counts) = try Self.generate(transactions: 1000, into: directory)
        // "1000 transactions, 2475 postings (2.475/txn), 197 accounts" → [1000, 2475, 2, 475, 197]
        try #require(counts.count == 5, "unexpected generator report: \(counts)")
        let (expectedTransactions, expectedPostings, expectedAccounts) = (counts[0], counts[1], counts[4])
        #expect(expectedTransactions == 1000)

        let reader = try JournalReader(path: path, chunkBytes: 4096)
        var declared: Set<String> = []
        var commodities: [Currency] = []
        var transactions = 0
        var postings = 0
        var magnitudeSum: Int64 = 0
        var previousDate: LedgerDate?
        while let item = try reader.next() {
            switch item {
            case .accountDeclaration(let name, _):
                declared.insert(name)
            case .commodityDeclaration(let currency, _):
                commodities.append(currency)
            case .transaction(let transaction):
                transactions += 1
                postings += transaction.postings.count
                #expect(transaction.postings.count >= 2)
                #expect(transaction.code != nil)
                #expect(!transaction.description.isEmpty)
                if let previousDate { #expect(previousDate <= transaction.date) }
                previousDate = transaction.date
                var sums: [Currency: Int64] = [:]
                for posting in transaction.postings {
                    #expect(!posting.amountWasElided)
                    #expect(posting.amount.minorUnits != 0)
                    #expect(declared.contains(posting.account), "undeclared account \(posting.account)")
                    sums[posting.amount.currency, default: 0] += posting.amount.minorUnits
                    magnitudeSum += Int64(posting.amount.minorUnits.magnitude)
                }
                #expect(sums.values.allSatisfy { $0 == 0 }, "transaction at line \(transaction.location.line) does not balance")
                let draft = try transaction.entryDraft(author: "test")
                #expect(draft.postings.count == transaction.postings.count)
                #expect(draft.reference == transaction.code)
            }
        }
        #expect(transactions == expectedTransactions)
        #expect(postings == expectedPostings)
        #expect(declared.count == expectedAccounts)
        #expect(commodities == [.idr])
        let lastDate = try #require(previousDate)
        #expect(lastDate <= LedgerDate(year: 2025, month: 12, day: 31) ?? lastDate)
        #expect(lastDate >= LedgerDate(year: 2023, month: 4, day: 1) ?? lastDate)

        // An independent, naive reading of the amounts: "    ACCOUNT  -117772 IDR".
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var naiveSum: Int64 = 0
        for line in text.split(separator: "\n") where line.hasPrefix("    ") && line.hasSuffix(" IDR") {
            let words = line.split(separator: " ")
            let number = try #require(Int64(words[words.count - 2]), "cannot read '\(line)'")
            naiveSum += Int64(number.magnitude) * 100
        }
        #expect(naiveSum > 0)
        #expect(magnitudeSum == naiveSum)
    }
}
