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

    /// The day off.
    public let date: LedgerDate
    public let kind: Kind
    /// Its name in English, as findings print it.
    public let nameEn: String
    /// Its name in Bahasa Indonesia, as the decree gives it.
    public let nameId: String

    public init(date: LedgerDate, kind: Kind, nameEn: String, nameId: String) {
        self.date = date
        self.kind = kind
        self.nameEn = nameEn
        self.nameId = nameId
    }
}
