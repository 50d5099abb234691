import LedgerCore

/// One posting of `journal.csv` and `journal.jsonl`: every field of its entry that the hash
/// covers, so that the verifier can rebuild each entry and recompute the chain from the
/// files alone.
enum JournalRow {
    static let columns = [
        "entry", "line", "date", "posted_at_ms", "description", "reference", "source", "author", "idempotency_key",
        "exchange_rate", "reverses", "account", "account_name", "debit", "credit", "currency", "district", "budget_line",
        "activity", "funding_source", "party", "memo", "entry_hash",
    ]

    /// `"entry":` and the others, rendered once.
    private static let jsonKeys: [[UInt8]] = columns.map { column in
        var key: [UInt8] = []
        BundleText.json(column, into: &key)
        return key + [0x3A]
    }
    private static let null = Array("null".utf8)

    /// The values of posting `line` of `entry`, in column order; nil for an absent value.
    static func values(_ entry: PostedEntry, line: Int, accountName: String, entryNumber: String, entryHash: String)
        -> [String?] {
        let draft = entry.draft
        let posting = draft.postings[line]
        let amount = posting.amount
        let debit = amount.minorUnits > 0 ? amount.plainDecimal : ""
        let credit = amount.minorUnits < 0 ? Money(minorUnits: 0 &- amount.minorUnits, currency: amount.currency).plainDecimal : ""
        let dimensions = posting.dimensions
        return [
            entryNumber, String(line), draft.date.description, String(entry.postedAt.millisecondsSince1970), draft.description,
            draft.reference, draft.source.rawValue, draft.author, draft.idempotencyKey, draft.exchangeRate?.description,
            entry.reverses?.description, posting.accountCode, accountName, debit, credit, amount.currency.code,
            dimensions.district, dimensions.budgetLine, dimensions.activity, dimensions.fundingSource, dimensions.party,
            posting.memo, entryHash,
        ]
    }

    /// The CSV line, without its line feed.
    static func csv(_ values: [String?], into out: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(0x2C) }
            if let value { BundleText.csv(value, into: &out) }
        }
    }

    /// The JSON Lines object, without its line feed: the same names and values, `null` for
    /// an absent value, numbers as strings so that no reader turns them into floats.
    static func jsonl(_ values: [String?], into out: inout [UInt8]) {
        out.append(0x7B)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(contentsOf: jsonKeys[index])
            if let value { BundleText.json(value, into: &out) } else { out.append(contentsOf: null) }
        }
        out.append(0x7D)
    }
}
