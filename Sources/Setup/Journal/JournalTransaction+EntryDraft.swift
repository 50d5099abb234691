import LedgerCore

extension JournalTransaction {
    /// The entry this transaction asks the ledger to post: source `.import`, reference =
    /// the `(CODE)`, the exchange rate from the `exchange-rate:` tag, postings with their
    /// dimensions. Accounts, periods, limits and text rules are left to `EntryValidator`,
    /// which checks every entry whatever its origin.
    /// - Throws: `exchangeRateInvalid` at the tag when it is not `BASE/QUOTE RATE`.
    public func entryDraft(author: String) throws(JournalError) -> EntryDraft {
        var rate: ExchangeRate?
        if let tag = exchangeRate {
            do throws(LedgerError) {
                rate = try ExchangeRate(parsing: tag.value)
            } catch {
                throw .exchangeRateInvalid(tag.location, text: tag.value)
            }
        }
        var drafts: [PostingDraft] = []
        drafts.reserveCapacity(postings.count)
        for posting in postings {
            drafts.append(PostingDraft(accountCode: posting.account, amount: posting.amount, dimensions: posting.dimensions))
        }
        return EntryDraft(
            date: date, description: description, reference: code, source: .import, author: author,
            exchangeRate: rate, postings: drafts)
    }
}
