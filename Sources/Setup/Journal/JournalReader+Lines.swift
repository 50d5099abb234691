import LedgerCore

/// The tags that carry meaning for an import; every other tag is ignored.
enum JournalTag {
    case dimension(WritableKeyPath<Dimensions, String?>)
    case exchangeRate

    init?(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        if JournalBytes.equals(line, from: start, to: end, "district") {
            self = .dimension(\.district)
        } else if JournalBytes.equals(line, from: start, to: end, "budget-line") {
            self = .dimension(\.budgetLine)
        } else if JournalBytes.equals(line, from: start, to: end, "activity") {
            self = .dimension(\.activity)
        } else if JournalBytes.equals(line, from: start, to: end, "funding-source") {
            self = .dimension(\.fundingSource)
        } else if JournalBytes.equals(line, from: start, to: end, "party") {
            self = .dimension(\.party)
        } else if JournalBytes.equals(line, from: start, to: end, "exchange-rate") {
            self = .exchangeRate
        } else {
            return nil
        }
    }
}

// MARK: - Transactions

extension JournalReader {
    /// Starts a transaction from its header line.
    func begin(_ line: UnsafeBufferPointer<UInt8>) throws(JournalError) {
        let count = line.count
        guard let date = JournalReader.date(line) else {
            throw .dateInvalid(here(0, in: line), text: JournalReader.firstWord(line))
        }
        var index = 10
        if index < count && line[index] == UInt8(ascii: "=") {
            throw .unsupportedSyntax(here(index, in: line), .secondaryDate)
        }
        if index < count && !JournalBytes.isBlank(line[index]) && line[index] != JournalBytes.semicolon {
            throw .dateInvalid(here(0, in: line), text: JournalReader.firstWord(line))
        }
        index = JournalBytes.skipBlanks(line, from: index, to: count)
        var status = JournalTransaction.Status.unmarked
        if index < count && (line[index] == UInt8(ascii: "*") || line[index] == UInt8(ascii: "!")) {
            status = line[index] == UInt8(ascii: "*") ? .cleared : .pending
            index = JournalBytes.skipBlanks(line, from: index + 1, to: count)
        }
        var code: String?
        if index < count && line[index] == UInt8(ascii: "(") {
            var close = index + 1
            while close < count && line[close] != UInt8(ascii: ")") { close += 1 }
            guard close < count else { throw .codeUnterminated(here(index, in: line)) }
            guard let text = JournalBytes.string(line, from: index + 1, to: close) else {
                throw .invalidUTF8(here(index + 1, in: line))
            }
            code = text
            index = JournalBytes.skipBlanks(line, from: close + 1, to: count)
        }
        var commentStart = index
        while commentStart < count && line[commentStart] != JournalBytes.semicolon { commentStart += 1 }
        let descriptionEnd = JournalBytes.trimBlanks(line, from: index, to: commentStart)
        guard let description = JournalBytes.string(line, from: index, to: descriptionEnd) else {
            throw .invalidUTF8(here(index, in: line))
        }
        header = Header(
            location: InputLocation(file: file, line: lines.lineNumber, column: 1), date: date, status: status,
            code: code, description: description)
        postings = []
        postings.reserveCapacity(4)
        postingColumns.removeAll(keepingCapacity: true)
        elidedIndex = nil
        if commentStart < count { try tags(line, from: commentStart + 1, posting: nil) }
    }

    /// An indented line: a posting or a comment inside a transaction, a comment elsewhere.
    func indented(_ line: UnsafeBufferPointer<UInt8>) throws(JournalError) {
        let start = JournalBytes.skipBlanks(line, from: 0, to: line.count)
        if line[start] == JournalBytes.semicolon {
            if header != nil { try tags(line, from: start + 1, posting: postings.isEmpty ? nil : postings.count - 1) }
            return
        }
        if header != nil {
            try posting(line, from: start)
            return
        }
        if afterDirective { throw .unsupportedSyntax(here(start, in: line), .subdirective) }
        throw .postingOutsideTransaction(here(start, in: line))
    }

    /// A posting line: account, optional amount, optional comment with tags.
    func posting(_ line: UnsafeBufferPointer<UInt8>, from start: Int) throws(JournalError) {
        let count = line.count
        let first = line[start]
        if first == UInt8(ascii: "(") || first == UInt8(ascii: "[") {
            throw .unsupportedSyntax(here(start, in: line), .virtualPosting)
        }
        if (first == UInt8(ascii: "*") || first == UInt8(ascii: "!"))
            && (start + 1 == count || JournalBytes.isBlank(line[start + 1])) {
            throw .unsupportedSyntax(here(start, in: line), .postingStatus)
        }
        guard postings.count < Limits.postingsPerEntryMax else {
            throw .tooManyPostings(here(start, in: line), max: Limits.postingsPerEntryMax)
        }
        // Only blanks precede `start`, one byte each, so its column is start + 1.
        let column = start + 1
        let nameEnd = JournalReader.accountNameEnd(line, from: start)
        guard let name = accountNames.name(line, from: start, to: nameEnd) else {
            throw .invalidUTF8(here(start, in: line))
        }
        var index = JournalBytes.skipBlanks(line, from: nameEnd, to: count)
        let amount: Money
        if index == count || line[index] == JournalBytes.semicolon {
            guard elidedIndex == nil else { throw .multipleElidedAmounts(here(start, in: line)) }
            elidedIndex = postings.count
            amount = .zero(defaultCurrency)
        } else {
            var amountEnd = index
            while amountEnd < count && line[amountEnd] != JournalBytes.semicolon { amountEnd += 1 }
            let commentStart = amountEnd
            amountEnd = JournalBytes.trimBlanks(line, from: index, to: amountEnd)
            amount = try amounts.amount(line, from: index, to: amountEnd, file: file, lineNumber: lines.lineNumber)
            index = commentStart
        }
        postings.append(JournalPosting(account: name, amount: amount, line: lines.lineNumber))
        postingColumns.append(column)
        if index < count { try tags(line, from: index + 1, posting: postings.count - 1) }
    }

    /// Reads `name: value` tags from a comment (after its `;`) into the transaction
    /// (`posting` nil) or one posting. A value ends at a comma or the end of the line.
    func tags(_ line: UnsafeBufferPointer<UInt8>, from start: Int, posting: Int?) throws(JournalError) {
        let end = line.count
        var segment = start
        while segment < end {
            var colon = segment
            while colon < end && line[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < end else { return }
            var nameStart = colon
            while nameStart > segment && !JournalBytes.isBlank(line[nameStart - 1]) && line[nameStart - 1] != UInt8(ascii: ",") {
                nameStart -= 1
            }
            var valueEnd = colon + 1
            while valueEnd < end && line[valueEnd] != UInt8(ascii: ",") { valueEnd += 1 }
            if nameStart < colon, let tag = JournalTag(line, from: nameStart, to: colon) {
                let valueStart = JournalBytes.skipBlanks(line, from: colon + 1, to: valueEnd)
                let valueStop = JournalBytes.trimBlanks(line, from: valueStart, to: valueEnd)
                if valueStart < valueStop {
                    guard let value = JournalBytes.string(line, from: valueStart, to: valueStop) else {
                        throw .invalidUTF8(here(valueStart, in: line))
                    }
                    switch tag {
                    case .dimension(let keyPath):
                        if let posting {
                            postings[posting].dimensions[keyPath: keyPath] = value
                        } else {
                            header?.dimensions[keyPath: keyPath] = value
                        }
                    case .exchangeRate:
                        header?.exchangeRate = JournalTransaction.LocatedText(value: value, location: here(valueStart, in: line))
                    }
                }
            }
            segment = valueEnd + 1
        }
    }

    /// Ends the transaction: fills the left-out amount, checks the balance per currency,
    /// applies the transaction's tags under the postings' own.
    func finish() throws(JournalError) -> JournalTransaction {
        guard let header else { preconditionFailure("finish() without a transaction") }
        self.header = nil
        sumCurrencies.removeAll(keepingCapacity: true)
        sums.removeAll(keepingCapacity: true)
        for index in postings.indices where index != elidedIndex {
            let amount = postings[index].amount
            var slot = 0
            while slot < sumCurrencies.count && sumCurrencies[slot] != amount.currency { slot += 1 }
            if slot == sumCurrencies.count {
                sumCurrencies.append(amount.currency)
                sums.append(0)
            }
            let (sum, overflow) = sums[slot].addingReportingOverflow(amount.minorUnits)
            guard !overflow else {
                throw .amountOverflow(InputLocation(file: file, line: postings[index].line, column: postingColumns[index]))
            }
            sums[slot] = sum
        }
        if let elided = elidedIndex {
            let elidedLocation = InputLocation(file: file, line: postings[elided].line, column: postingColumns[elided])
            let unbalanced = sums.indices.filter { sums[$0] != 0 }
            guard unbalanced.count <= 1 else {
                throw .elidedAmountAmbiguous(elidedLocation, currencies: unbalanced.map { sumCurrencies[$0] })
            }
            if let slot = unbalanced.first {
                guard sums[slot] != Int64.min else { throw .amountOverflow(elidedLocation) }
                postings[elided].amount = Money(minorUnits: -sums[slot], currency: sumCurrencies[slot])
            } else {
                postings[elided].amount = .zero(sumCurrencies.first ?? defaultCurrency)
            }
            postings[elided].amountWasElided = true
        } else {
            for slot in sums.indices where sums[slot] != 0 {
                throw .unbalanced(header.location, currency: sumCurrencies[slot], differenceMinorUnits: sums[slot])
            }
        }
        if header.dimensions != .none {
            for index in postings.indices {
                postings[index].dimensions = JournalReader.merged(header.dimensions, under: postings[index].dimensions)
            }
        }
        return JournalTransaction(
            location: header.location, date: header.date, status: header.status, code: header.code,
            description: header.description, dimensions: header.dimensions, exchangeRate: header.exchangeRate,
            postings: postings)
    }

    /// The transaction's dimensions where the posting has none of its own.
    static func merged(_ transaction: Dimensions, under posting: Dimensions) -> Dimensions {
        Dimensions(
            district: posting.district ?? transaction.district,
            budgetLine: posting.budgetLine ?? transaction.budgetLine,
            activity: posting.activity ?? transaction.activity,
            fundingSource: posting.fundingSource ?? transaction.fundingSource,
            party: posting.party ?? transaction.party)
    }

    // MARK: Byte scanning

    /// `YYYY-MM-DD` or `YYYY/MM/DD` at the start of the line, or nil.
    static func date(_ line: UnsafeBufferPointer<UInt8>) -> LedgerDate? {
        guard line.count >= 10 else { return nil }
        let separator = line[4]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/"), line[7] == separator else { return nil }
        func number(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for index in from..<to {
                guard JournalBytes.isDigit(line[index]) else { return nil }
                value = value * 10 + Int(line[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 7), let day = number(8, 10) else { return nil }
        return LedgerDate(year: year, month: month, day: day)
    }

    /// Where an account name starting at `start` ends: at a tab, two spaces, ` ;` or the
    /// end of the line, trailing blanks excluded.
    static func accountNameEnd(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = line.count
        var index = start
        while index < count {
            let byte = line[index]
            if byte == JournalBytes.tab { break }
            if byte == JournalBytes.space && index + 1 < count {
                let next = line[index + 1]
                if next == JournalBytes.space || next == JournalBytes.tab || next == JournalBytes.semicolon { break }
            }
            index += 1
        }
        return JournalBytes.trimBlanks(line, from: start, to: index)
    }

    /// The line's first blank-separated word, for error messages.
    static func firstWord(_ line: UnsafeBufferPointer<UInt8>) -> String {
        var end = 0
        while end < line.count && !JournalBytes.isBlank(line[end]) && end < 40 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
    }
}

// MARK: - Directives

extension JournalReader {
    /// An unindented line that is neither a transaction nor a comment: `account`,
    /// `commodity`, or a `comment` block (skipped, nil); anything else is refused.
    func directive(_ line: UnsafeBufferPointer<UInt8>) throws(JournalError) -> JournalItem? {
        let count = line.count
        var wordEnd = 0
        while wordEnd < count && !JournalBytes.isBlank(line[wordEnd]) { wordEnd += 1 }
        let argumentStart = JournalBytes.skipBlanks(line, from: wordEnd, to: count)

        if JournalBytes.equals(line, from: 0, to: wordEnd, "account") {
            let nameEnd = JournalReader.accountNameEnd(line, from: argumentStart)
            guard argumentStart < nameEnd, line[argumentStart] != JournalBytes.semicolon else {
                throw .directiveArgumentMissing(here(0, in: line), directive: "account")
            }
            guard let name = JournalBytes.string(line, from: argumentStart, to: nameEnd) else {
                throw .invalidUTF8(here(argumentStart, in: line))
            }
            afterDirective = true
            return .accountDeclaration(name: name, line: lines.lineNumber)
        }

        if JournalBytes.equals(line, from: 0, to: wordEnd, "commodity") {
            var argumentEnd = argumentStart
            while argumentEnd < count && line[argumentEnd] != JournalBytes.semicolon { argumentEnd += 1 }
            var symbol: [UInt8] = []
            for index in argumentStart..<argumentEnd {
                let byte = line[index]
                if JournalBytes.isDigit(byte) || JournalBytes.isBlank(byte) { continue }
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "-") { continue }
                symbol.append(byte)
            }
            guard !symbol.isEmpty else { throw .directiveArgumentMissing(here(0, in: line), directive: "commodity") }
            let text = String(decoding: symbol, as: UTF8.self)
            let currency = text == "Rp" || text == "Rp." ? Currency.idr : Currency.known[text]
            guard let currency else { throw .commodityUnknown(here(argumentStart, in: line), symbol: text) }
            afterDirective = true
            return .commodityDeclaration(currency: currency, line: lines.lineNumber)
        }

        if JournalBytes.equals(line, from: 0, to: wordEnd, "comment") && argumentStart == count {
            let opening = InputLocation(file: file, line: lines.lineNumber, column: 1)
            while let inner = try lines.nextLine() {
                let start = JournalBytes.skipBlanks(inner, from: 0, to: inner.count)
                let end = JournalBytes.trimBlanks(inner, from: start, to: inner.count)
                if JournalBytes.equals(inner, from: start, to: end, "end comment") { return nil }
            }
            throw .commentBlockUnterminated(opening)
        }

        throw .directiveUnsupported(here(0, in: line), name: JournalReader.firstWord(line))
    }
}
