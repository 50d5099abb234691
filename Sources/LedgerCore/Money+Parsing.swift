extension Money {
    /// Parses a typed amount: `1250000`, `1,250,000.50`, `1.250.000,50`, `Rp 1.250.000`,
    /// `IDR -1,000.00`, `-25.5 USD`.
    ///
    /// - Parameters:
    ///   - currency: the expected currency; required unless the text names one (`Rp`, `IDR`).
    ///   - locale: how separators are read. Without it, a lone separator followed by exactly
    ///     three digits (`1.250`) is refused as ambiguous in a currency with decimals.
    /// - Throws: `LedgerError.amountInvalid` naming `field`, with the precise reason.
    public static func parse(
        _ text: String, currency: Currency? = nil, locale: AmountLocale? = nil, field: String = "amount"
    ) throws(LedgerError) -> Money {
        if let currency, locale != .id, let plain = plainDecimal(text, currency: currency) { return plain }
        do {
            return try parseUnchecked(text, currency: currency, locale: locale)
        } catch {
            throw .amountInvalid(field: field, text: text, reason: error)
        }
    }

    private static func parseUnchecked(
        _ text: String, currency expected: Currency?, locale: AmountLocale?
    ) throws(AmountParseError) -> Money {
        var body = Substring(text.trimmingSpaces())
        guard !body.isEmpty else { throw .empty }
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst().trimmingLeadingSpaces() }

        // A currency may stand before or after the number: "Rp 1.000", "IDR 1,000", "1000 IDR".
        var written: Currency?
        if body.hasPrefix("Rp") {
            written = .idr
            body = body.dropFirst(2)
            if body.hasPrefix(".") { body = body.dropFirst() }
            body = body.trimmingLeadingSpaces()
        } else if let prefix = leadingCurrencyCode(body) {
            written = prefix
            body = body.dropFirst(3).trimmingLeadingSpaces()
        } else if let suffix = trailingCurrencyCode(body) {
            written = suffix
            body = body.dropLast(3).trimmingTrailingSpaces()
        }
        if !negative, body.hasPrefix("-") { negative = true; body = body.dropFirst().trimmingLeadingSpaces() }

        let currency: Currency
        switch (written, expected) {
        case (let written?, let expected?) where written != expected:
            throw .currencyConflict(written: written, expected: expected)
        case (let written?, _): currency = written
        case (nil, let expected?): currency = expected
        case (nil, nil): throw .currencyMissing
        }

        let (integerDigits, fractionDigits) = try splitNumber(body, currency: currency, locale: locale)
        guard fractionDigits.count <= currency.exponent else {
            throw .tooManyDecimals(currency: currency, found: fractionDigits.count)
        }
        var value: Int64 = 0
        let paddedFraction = fractionDigits + Array(repeating: UInt8(ascii: "0"), count: currency.exponent - fractionDigits.count)
        // Accumulate towards the sign so that Int64.min itself parses.
        let step: Int64 = negative ? -1 : 1
        for digit in integerDigits + paddedFraction {
            let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = times10.addingReportingOverflow(step * Int64(digit - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { throw .overflow }
            value = next
        }
        return Money(minorUnits: value, currency: currency)
    }

    /// The common machine form, `-1250000` or `1250000.5` in `currency`, read straight from
    /// its UTF-8 bytes: no grouping, symbol or space, no more decimals than the currency has.
    /// Returns nil for anything else (and on overflow), so that callers fall back to
    /// `parse(_:currency:locale:field:)`, which reads it or refuses it with a precise reason —
    /// `1.250` in a two-decimal currency, for one, is left to it to call ambiguous.
    ///
    /// The fast path of amount parsing, shared by `parse` and the journal reader.
    public static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>, currency: Currency) -> Money? {
        var value: Int64 = 0
        var negative = false
        var seenDigit = false
        var fractionDigits: Int?
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: ".") where fractionDigits == nil && seenDigit:
                fractionDigits = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if let count = fractionDigits {
                    guard count < currency.exponent else { return nil }
                    fractionDigits = count + 1
                }
                let digit = Int64(byte - UInt8(ascii: "0"))
                // Accumulate towards the sign so that Int64.min itself parses.
                let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = times10.addingReportingOverflow(negative ? -digit : digit)
                guard !overflowA, !overflowB else { return nil }
                value = next
                seenDigit = true
            default:
                return nil
            }
        }
        guard seenDigit, fractionDigits != 0 else { return nil }
        for _ in (fractionDigits ?? 0)..<currency.exponent {
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = scaled
        }
        return Money(minorUnits: value, currency: currency)
    }

    private static func plainDecimal(_ text: String, currency: Currency) -> Money? {
        var text = text
        return text.withUTF8 { plainDecimal($0, currency: currency) }
    }

    /// Splits `body` into integer and fraction digits, removing thousands separators.
    private static func splitNumber(
        _ body: Substring, currency: Currency, locale: AmountLocale?
    ) throws(AmountParseError) -> (integer: [UInt8], fraction: [UInt8]) {
        let bytes = Array(body.utf8)
        guard !bytes.isEmpty else { throw .noDigits }
        var separators: [(index: Int, byte: UInt8)] = []
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            case UInt8(ascii: "."), UInt8(ascii: ","): separators.append((index, byte))
            default:
                // Name the character as written, not the UTF-8 byte that revealed it.
                let offending = body.first { !("0"..."9").contains($0) && $0 != "." && $0 != "," }
                throw .unexpectedCharacter(offending ?? Character(Unicode.Scalar(byte)))
            }
        }
        guard separators.count < bytes.count else { throw .noDigits }

        // Decide which separator, if any, is the decimal mark.
        var decimalMark: UInt8?
        let kinds = Set(separators.map(\.byte))
        if let last = separators.last {
            let digitsAfterLast = bytes.count - last.index - 1
            if kinds.count == 2 {
                decimalMark = last.byte
            } else if separators.count > 1 {
                decimalMark = nil
            } else if let locale {
                decimalMark = last.byte == locale.decimalMark.asciiValue ? last.byte : nil
            } else if digitsAfterLast == 3 {
                if currency.exponent > 0 { throw .ambiguousSeparator(separator: Character(Unicode.Scalar(last.byte))) }
                decimalMark = nil
            } else {
                decimalMark = last.byte
            }
        }
        if let locale {
            for separator in separators {
                let expected = separator.byte == decimalMark ? locale.decimalMark : locale.groupSeparator
                guard Character(Unicode.Scalar(separator.byte)) == expected else {
                    throw .separatorDoesNotFitLocale(separator: Character(Unicode.Scalar(separator.byte)), locale: locale)
                }
            }
        }

        let decimalIndex = decimalMark.flatMap { mark in separators.last(where: { $0.byte == mark })?.index }
        if let mark = decimalMark, separators.filter({ $0.byte == mark }).count > 1 { throw .badGrouping }
        let integerPart = decimalIndex.map { Array(bytes[..<$0]) } ?? bytes
        let fractionPart = decimalIndex.map { Array(bytes[($0 + 1)...]) } ?? []
        if decimalIndex != nil, fractionPart.isEmpty { throw .noDigits }

        // Thousands groups: first group 1–3 digits, every later group exactly 3.
        let groupSeparator = separators.first(where: { $0.byte != decimalMark })?.byte
        var integerDigits = integerPart
        if let groupSeparator {
            let groups = integerPart.split(separator: groupSeparator, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { throw .badGrouping }
            integerDigits = groups.flatMap { $0 }
        }
        guard !integerDigits.isEmpty else { throw .noDigits }
        return (integerDigits, fractionPart)
    }

    private static func leadingCurrencyCode(_ text: Substring) -> Currency? {
        guard text.count >= 3 else { return nil }
        return Currency.known[String(text.prefix(3))]
    }

    private static func trailingCurrencyCode(_ text: Substring) -> Currency? {
        guard text.count >= 3 else { return nil }
        return Currency.known[String(text.suffix(3))]
    }
}

extension Substring {
    func trimmingLeadingSpaces() -> Substring {
        self[(firstIndex(where: { !$0.isWhitespace }) ?? endIndex)...]
    }

    func trimmingTrailingSpaces() -> Substring {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[...last]
    }
}

extension String {
    func trimmingSpaces() -> Substring {
        Substring(self).trimmingLeadingSpaces().trimmingTrailingSpaces()
    }
}
