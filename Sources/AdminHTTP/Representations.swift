import Budgets
import FeeClaims
import FraudRules
import LedgerCore
import LedgerStore

// The JSON shapes of the API (openapi.yaml's schemas). Amounts are decimal strings in the
// currency's minor units ("1250000.00"), with the currency beside them: never floats.

struct AmountJSON: Encodable, Sendable {
    let amount: String
    let currency: String

    init(_ money: Money) {
        amount = money.plainDecimal
        currency = money.currency.code
    }
}

struct AccountJSON: Encodable, Sendable {
    let code: String
    let nameEn: String
    let nameId: String
    let type: String
    let parent: String?
    let currency: String?
    let opensOn: String?
    let closesOn: String?

    init(_ account: Account) {
        code = account.code
        nameEn = account.nameEn
        nameId = account.nameId
        type = account.type.rawValue
        parent = account.parentCode
        currency = account.currency?.code
        opensOn = account.opensOn?.description
        closesOn = account.closesOn?.description
    }
}

struct PostingJSON: Encodable, Sendable {
    let account: String
    let amount: String
    let currency: String
    let district: String?
    let budgetLine: String?
    let activity: String?
    let fundingSource: String?
    let party: String?
    let memo: String?

    init(_ posting: PostingDraft) {
        account = posting.accountCode
        amount = posting.amount.plainDecimal
        currency = posting.amount.currency.code
        district = posting.dimensions.district
        budgetLine = posting.dimensions.budgetLine
        activity = posting.dimensions.activity
        fundingSource = posting.dimensions.fundingSource
        party = posting.dimensions.party
        memo = posting.memo
    }
}

struct EntryJSON: Encodable, Sendable {
    let number: String
    let date: String
    let postedAt: String
    let description: String
    let reference: String?
    let source: String
    let author: String
    let exchangeRate: String?
    let reverses: String?
    let reversedBy: String?
    let hash: String
    let postings: [PostingJSON]

    init(_ entry: PostedEntry) {
        number = entry.number.description
        date = entry.draft.date.description
        postedAt = entry.postedAt.description
        description = entry.draft.description
        reference = entry.draft.reference
        source = entry.draft.source.rawValue
        author = entry.draft.author
        exchangeRate = entry.draft.exchangeRate?.description
        reverses = entry.reverses?.description
        reversedBy = entry.reversedBy?.description
        hash = entry.hash.description
        postings = entry.draft.postings.map(PostingJSON.init)
    }
}

struct EntryPageJSON: Encodable, Sendable {
    let entries: [EntryJSON]
    /// Pass as `cursor` for the next page; absent on the last page.
    let nextCursor: String?
}

struct PostResultJSON: Encodable, Sendable {
    let number: String
    let hash: String
    let replayed: Bool
    let budgetWarnings: [String]

    init(_ result: PostResult) {
        number = result.number.description
        hash = result.hash.description
        replayed = result.replayed
        budgetWarnings = result.budgetWarnings.map { "\($0)" }
    }
}

struct TrialBalanceJSON: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let account: String
        let nameEn: String
        let nameId: String
        let type: String
        let debit: String
        let credit: String
        let currency: String
    }

    struct Total: Encodable, Sendable {
        let currency: String
        let debit: String
        let credit: String
    }

    let asOf: String?
    let district: String?
    let lines: [Line]
    let totals: [Total]

    init(_ balance: TrialBalance) {
        asOf = balance.asOf?.description
        district = balance.district
        lines = balance.lines.map {
            Line(account: $0.accountCode, nameEn: $0.accountNameEn, nameId: $0.accountNameId, type: $0.accountType.rawValue,
                 debit: $0.debit.plainDecimal, credit: $0.credit.plainDecimal, currency: $0.debit.currency.code)
        }
        totals = balance.totals.map {
            Total(currency: $0.currency.code, debit: $0.debit.plainDecimal, credit: $0.credit.plainDecimal)
        }
    }
}

struct BudgetLineJSON: Encodable, Sendable {
    let fiscalYear: Int
    let district: String
    let line: String
    let nameEn: String
    let nameId: String
    let component: String
    let category: String
    let currency: String
    let original: String
    let revised: String
    let actual: String
    let committed: String
    let available: String

    init(_ row: BudgetLineFigures) {
        let key = row.line.line.key
        fiscalYear = key.fiscalYear
        district = key.district
        line = key.code
        nameEn = row.line.line.nameEn
        nameId = row.line.line.nameId
        component = row.line.line.component
        category = row.line.line.category
        currency = row.figures.currency.code
        original = row.figures.original.plainDecimal
        revised = row.figures.revised.plainDecimal
        actual = row.figures.actual.plainDecimal
        committed = row.figures.committed.plainDecimal
        available = row.figures.available.plainDecimal
    }
}

struct PersonJSON: Encodable, Sendable {
    let id: String
    let name: String
    let district: String?
    let roles: [String]
    let supervisor: String?
    /// Only for roles that handle payments (`AccessPolicy.readBankAccounts`).
    let bankAccount: String?
    let activeFrom: String
    let activeTo: String?

    init(_ person: Person, showBankAccount: Bool) {
        id = person.id
        name = person.name
        district = person.district
        roles = person.roles.sorted().map(\.rawValue)
        supervisor = person.supervisor
        bankAccount = showBankAccount ? person.bankAccount : nil
        activeFrom = person.activeFrom.description
        activeTo = person.activeTo?.description
    }
}

struct ClaimSummaryJSON: Encodable, Sendable {
    let number: String
    let claimant: String
    let state: String
    let activity: String
    let activityFrom: String
    let amount: AmountJSON

    init(_ claim: ClaimSummary) {
        number = claim.number.description
        claimant = claim.claimant
        state = claim.state.rawValue
        activity = claim.activity
        activityFrom = claim.activityFrom.description
        amount = AmountJSON(claim.amount)
    }
}

struct ClaimLineJSON: Encodable, Sendable {
    let category: String
    let quantity: Int64
    let unit: String
    let unitRate: String
    let currency: String
    let memo: String?

    init(_ line: ClaimLine) {
        category = line.category.rawValue
        quantity = line.quantity
        unit = line.unit
        unitRate = line.unitRate.plainDecimal
        currency = line.unitRate.currency.code
        memo = line.memo
    }
}

struct ReceiptJSON: Encodable, Sendable {
    let sha256: String
    let mediaType: String
    let size: Int
    let fileName: String
    let vendor: String?
    let receiptNumber: String?

    init(_ receipt: Receipt) {
        sha256 = receipt.sha256.description
        mediaType = receipt.mediaType.rawValue
        size = receipt.size
        fileName = receipt.fileName
        vendor = receipt.vendorReceipt?.vendor
        receiptNumber = receipt.vendorReceipt?.number
    }
}

struct ClaimEventJSON: Encodable, Sendable {
    let sequence: Int
    let version: Int
    let action: String
    let actor: String
    let at: String
    let from: String?
    let to: String
    var comment: String?

    init(_ event: ClaimEvent) {
        sequence = event.sequence
        version = event.version
        action = event.action
        actor = event.actor
        at = event.at.description
        from = event.from?.rawValue
        to = event.to.rawValue
        comment = event.comment
    }
}

struct ClaimJSON: Encodable, Sendable {
    let number: String
    let claimant: String
    let district: String
    let budgetLine: String
    let activity: String
    let activityFrom: String
    let activityTo: String
    let state: String
    let version: Int
    /// What `POST /claims/{number}/{action}` sends back as `expectedRevision`.
    let revision: Int
    let amount: AmountJSON
    let owed: AmountJSON
    let approvals: [String]
    let lines: [ClaimLineJSON]
    let receipts: [ReceiptJSON]
    let entries: [String]

    init(_ detail: ClaimDetail) {
        let claim = detail.snapshot
        number = claim.number.description
        claimant = claim.header.claimant
        district = claim.header.district
        budgetLine = claim.header.budgetLine
        activity = claim.header.activity
        activityFrom = claim.header.activityFrom.description
        activityTo = claim.header.activityTo.description
        state = claim.state.rawValue
        version = claim.version
        revision = claim.revision
        amount = AmountJSON(claim.amount)
        owed = AmountJSON(detail.owed)
        approvals = claim.approvals
        lines = detail.lines.map(ClaimLineJSON.init)
        receipts = detail.receipts.map(ReceiptJSON.init)
        entries = detail.entries.map { "\($0.kind) \($0.number)" }
    }
}

struct ClaimActionJSON: Encodable, Sendable {
    let number: String
    let state: String
    let entries: [String]
    let budgetWarnings: [String]
    let owed: AmountJSON?
    /// The findings the step recorded: in full for those who may read findings, else their ids.
    let findings: [String]

    init(_ result: ClaimActionResult, showEvidence: Bool) {
        number = result.number.description
        state = result.state.rawValue
        entries = result.entries.map(\.description)
        budgetWarnings = result.budgetWarnings.map { "\($0)" }
        owed = result.owed.map(AmountJSON.init)
        findings = showEvidence ? result.findings : FindingRedaction.ids(result.findings)
    }
}

struct FindingJSON: Encodable, Sendable {
    let id: String
    let rule: String
    let action: String
    let subject: String
    let subjectPerson: String?
    let related: [String]
    let evidence: String
    let foundAt: String
    let status: String

    init(_ stored: StoredFinding) {
        id = stored.id
        rule = stored.finding.rule.rawValue
        action = stored.finding.action.rawValue
        subject = stored.finding.subject
        subjectPerson = stored.finding.subjectPerson
        related = stored.finding.related
        evidence = stored.finding.evidence
        foundAt = stored.foundAt.description
        status = stored.status
    }
}

struct UserJSON: Encodable, Sendable {
    let person: String
    let name: String
    let roles: [String]
    let district: String?

    init(_ person: Person) {
        self.person = person.id
        name = person.name
        roles = person.roles.sorted().map(\.rawValue)
        district = person.district
    }
}
