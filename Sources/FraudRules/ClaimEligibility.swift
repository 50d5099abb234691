import LedgerCore

/// When a claim's activity may fall (R10): within the grant, and not in an accounting period
/// that was already closed when the claim was submitted.
public struct ClaimEligibility: Hashable, Sendable {
    /// The first day the grant pays for, when known.
    public var grantStart: LedgerDate?
    /// The last day the grant pays for, when known.
    public var grantEnd: LedgerDate?
    /// Each closed period with when it was closed: a claim submitted before the closing was
    /// filed in time, one submitted after it cannot be booked in that period.
    public var closedPeriods: [Period: Timestamp]

    public init(grantStart: LedgerDate? = nil, grantEnd: LedgerDate? = nil, closedPeriods: [Period: Timestamp] = [:]) {
        self.grantStart = grantStart
        self.grantEnd = grantEnd
        self.closedPeriods = closedPeriods
    }
}
