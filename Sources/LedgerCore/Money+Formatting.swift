extension Money {
    /// Prints the amount for people: `Rp 1.250.000` (id) or `IDR 1,250,000` (en); a minus
    /// sign comes first (`-Rp 5.000`). Rupiah print without decimals when there are no sen;
    /// other currencies always print all their decimals (`USD 12.50`).
    public func formatted(_ locale: AmountLocale) -> String {
        let symbol = locale == .id && currency == .idr ? "Rp" : currency.code
        let sign = minorUnits < 0 ? "-" : ""
        return sign + symbol + " " + unsignedNumber(locale)
    }

    /// The number alone with grouping, in `locale`: `1.250.000,50` (id), `1,250,000.50` (en).
    public func formattedNumber(_ locale: AmountLocale) -> String {
        (minorUnits < 0 ? "-" : "") + unsignedNumber(locale)
    }

    /// The absolute value with grouping and decimals (exact even for `Int64.min`).
    private func unsignedNumber(_ locale: AmountLocale) -> String {
        let (integer, fraction) = splitDigits()
        var grouped = ""
        for (offset, character) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { grouped.append(locale.groupSeparator) }
            grouped.append(character)
        }
        let showsFraction = currency.exponent > 0 && !(currency == .idr && fraction.allSatisfy { $0 == "0" })
        return grouped + (showsFraction ? String(locale.decimalMark) + fraction : "")
    }

    /// The machine form used in CSV, JSON and journal files: no grouping, `.` as decimal
    /// mark, every decimal written (`1250000.00`, `-3.50`, `1200` for JPY). Parses back to
    /// the same value with `Money.parse(_:currency:locale: .en)`.
    public var plainDecimal: String {
        let (integer, fraction) = splitDigits()
        let sign = minorUnits < 0 ? "-" : ""
        return sign + integer + (currency.exponent > 0 ? "." + fraction : "")
    }

    /// Absolute value split into integer digits and exactly `exponent` fraction digits.
    private func splitDigits() -> (integer: String, fraction: String) {
        let magnitude = minorUnits.magnitude
        let divisor = UInt64(currency.minorUnitsPerMajor)
        let integer = String(magnitude / divisor)
        var fraction = currency.exponent > 0 ? String(magnitude % divisor) : ""
        if fraction.count < currency.exponent {
            fraction = String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        }
        return (integer, fraction)
    }
}
