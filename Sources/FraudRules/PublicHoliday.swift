import LedgerCore

/// A day off across Indonesia (`Policies/holidays-YYYY.yaml`): a national holiday or a
/// collective-leave day. R11 flags activities on these days as it does weekends, because
/// few genuine field activities happen then.
public struct PublicHoliday: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Hari libur nasional.
        case national
        /// Cuti bersama: leave the government sets around holidays.
        case collectiveLeave = "collective-leave"
    }

    public let date: LedgerDate
    public let kind: Kind
    public let nameEn: String
    public let nameId: String

    public init(date: LedgerDate, kind: Kind, nameEn: String, nameId: String) {
        self.date = date
        self.kind = kind
        self.nameEn = nameEn
        self.nameId = nameId
    }
}

/// When a claim's activity may fall (R10): within the grant, and not in an accounting period
/// that was already closed when the claim was submitted.
public struct ClaimEligibility: Hashable, Sendable {
    /// The first day the grant pays for, when known.
    public var grantStart: LedgerDate?
    /// The last day the grant pays for, when known.
    public var grantEnd: LedgerDate?
    /// Each closed period with the day it was closed: a claim submitted before the closing
    /// was filed in time, one submitted on or after it cannot be booked in that period.
    public var closedPeriods: [Period: LedgerDate]

    public init(grantStart: LedgerDate? = nil, grantEnd: LedgerDate? = nil, closedPeriods: [Period: LedgerDate] = [:]) {
        self.grantStart = grantStart
        self.grantEnd = grantEnd
        self.closedPeriods = closedPeriods
    }
}
