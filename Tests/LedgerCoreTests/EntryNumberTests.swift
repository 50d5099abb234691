import LedgerCore
import Testing

@Suite("Entry numbers")
struct EntryNumberTests {
    @Test(arguments: [
        ("JE-2024-000123", 2024, 123, "JE-2024-000123"),
        ("JE-2024-000001", 2024, 1, "JE-2024-000001"),
        ("JE-2025-999999", 2025, 999_999, "JE-2025-999999"),
        ("JE-2025-1234567", 2025, 1_234_567, "JE-2025-1234567"),
        ("JE-2024-0000042", 2024, 42, "JE-2024-000042"),
    ])
    func parses(text: String, year: Int, sequence: Int, printed: String) throws {
        let number = try EntryNumber(parsing: text)
        #expect(number == EntryNumber(fiscalYear: year, sequence: sequence))
        #expect(number.description == printed)
    }

    @Test(arguments: [
        "", "JE-2024-123", "JE-2024-000000", "je-2024-000001", "JE-24-000001", "JE-2024", "JE-2024-000001-1",
        "XX-2024-000001", "JE--2024-000001", "JE-2024-00000a", "JE-2024- 00001",
        // Signs are not digits.
        "JE-2024-+00001", "JE-+024-000001", "JE-2024--00001",
    ])
    func refuses(text: String) {
        #expect(throws: LedgerError.entryNotFound(number: text)) { try EntryNumber(parsing: text) }
    }

    @Test func ordering() {
        let numbers = [
            EntryNumber(fiscalYear: 2025, sequence: 1), EntryNumber(fiscalYear: 2024, sequence: 10),
            EntryNumber(fiscalYear: 2024, sequence: 9),
        ]
        #expect(numbers.sorted().map(\.description) == ["JE-2024-000009", "JE-2024-000010", "JE-2025-000001"])
    }
}
