import LedgerCore
import Yams

/// What `ledger.yaml` holds: everything of a setup except the chart.
struct LedgerHeader {
    var organisation: String
    var name: String
    var baseCurrency: Currency
    var fiscalCalendar: FiscalCalendar
    var districts: [District]
    var fundingSources: [FundingSource]
}

extension LedgerSetupLoader {
    static let ledgerKeys = ["organisation", "name", "base_currency", "fiscal_year_start_month", "districts", "funding_sources"]
    static let districtKeys = ["code", "name", "name_id", "province"]
    static let fundingSourceKeys = ["code", "name", "currency", "starts_on", "ends_on"]

    /// Reads the root mapping of `ledger.yaml`.
    static func readLedger(_ root: Node, file: String) throws(SetupError) -> LedgerHeader {
        let ledger = try YAMLMapping(root, path: "", file: file)
        try ledger.checkKeys(ledgerKeys)
        let organisation = try ledger.checkedText("organisation", max: Limits.accountNameLengthMax)
        let name = try ledgerName(ledger)
        let baseCurrency = try ledger.currency("base_currency")
        let fiscalCalendar = try fiscalCalendar(ledger)

        var districts: [District] = []
        var districtCodes: Set<String> = []
        for (index, node) in try ledger.list("districts", max: SetupLimits.districtsMax).enumerated() {
            let item = try YAMLMapping(node, path: "districts[\(index)]", file: file)
            let district = try readDistrict(item)
            guard districtCodes.insert(district.code).inserted else {
                let location = (try? item.text("code").location) ?? item.location
                throw .duplicateCode(location, field: item.fieldPath("code"), code: district.code)
            }
            districts.append(district)
        }

        var sources: [FundingSource] = []
        var sourceCodes: Set<String> = []
        for (index, node) in try ledger.list("funding_sources", max: SetupLimits.fundingSourcesMax).enumerated() {
            let item = try YAMLMapping(node, path: "funding_sources[\(index)]", file: file)
            let source = try readFundingSource(item)
            guard sourceCodes.insert(source.code).inserted else {
                let location = (try? item.text("code").location) ?? item.location
                throw .duplicateCode(location, field: item.fieldPath("code"), code: source.code)
            }
            sources.append(source)
        }
        return LedgerHeader(
            organisation: organisation, name: name, baseCurrency: baseCurrency, fiscalCalendar: fiscalCalendar,
            districts: districts, fundingSources: sources)
    }

    /// The ledger's machine name: it names files, so only `a-z`, `0-9`, `-` and `_`.
    static func ledgerName(_ ledger: YAMLMapping) throws(SetupError) -> String {
        let (name, location) = try ledger.text("name")
        let valid = name.utf8.count <= SetupLimits.ledgerNameLengthMax
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
        guard valid else { throw .ledgerNameInvalid(location, field: ledger.fieldPath("name"), value: name) }
        return name
    }

    /// The month the fiscal year starts in, a whole number 1...12.
    static func fiscalCalendar(_ ledger: YAMLMapping) throws(SetupError) -> FiscalCalendar {
        let (text, location) = try ledger.text("fiscal_year_start_month")
        guard text.utf8.count <= 2, let month = Int(text), (1...12).contains(month) else {
            throw .monthInvalid(location, field: ledger.fieldPath("fiscal_year_start_month"), value: text)
        }
        return FiscalCalendar(startMonth: month)
    }

    static func readDistrict(_ item: YAMLMapping) throws(SetupError) -> District {
        try item.checkKeys(districtKeys)
        let code = try item.code("code")
        let nameEn = try item.checkedText("name", max: Limits.nameLengthMax)
        let nameId = try item.optionalCheckedText("name_id", max: Limits.nameLengthMax)
        let province = try item.optionalCheckedText("province", max: Limits.nameLengthMax)
        return District(code: code, nameEn: nameEn, nameId: nameId, province: province)
    }

    static func readFundingSource(_ item: YAMLMapping) throws(SetupError) -> FundingSource {
        try item.checkKeys(fundingSourceKeys)
        let code = try item.code("code")
        let name = try item.checkedText("name", max: Limits.accountNameLengthMax)
        let currency = try item.optionalCurrency("currency")
        let startsOn = try item.optionalDate("starts_on")
        let endsOn = try item.optionalDate("ends_on")
        try item.checkRange(startsOn, endsOn, endKey: "ends_on")
        return FundingSource(code: code, name: name, currency: currency, startsOn: startsOn?.value, endsOn: endsOn?.value)
    }
}
