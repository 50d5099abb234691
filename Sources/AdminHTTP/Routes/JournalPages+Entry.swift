import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The manual entry form of the journal (finance officers and treasurers): a date, a
/// description and rows of account, district, budget line and a debit or a credit. On
/// submit every row is read in the user's locale, and the debits must equal the credits
/// before anything reaches the store; the store then checks the entry as any other.
/// A hidden key makes a form sent twice post once.
extension JournalPages {
    static let rowsDefault = 6
    static let rowsMax = 30
    /// The fields of a row, each named `<field>-<row>` in the form.
    static let rowFields = ["account", "district", "budgetLine", "debit", "credit"]

    /// What the form shows: the values typed (by field name), the errors next to them, an
    /// error above the form, and the totals row.
    struct EntryForm {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var formError: String?
        var rows = JournalPages.rowsDefault
        var totals: (debit: String, credit: String)?
    }

    func newEntryForm(_ request: Request, user: Person, form: EntryForm, status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let accounts = try await access.run { try $0.accounts() }
        let parents = Set(accounts.compactMap(\.parentCode))
        let districts = try await access.run { try $0.districts() }
        let language = PageKit.language(request)
        let currency = try await access.baseCurrency()
        func field(_ name: String, _ label: String, type: String = "text", required: Bool = false) -> [String: Any] {
            var values: [String: Any] = ["name": name, "label": PageKit.text(label, request), "type": type,
                                         "value": form.values[name] ?? "", "required": required]
            if let error = form.errors[name] { values["error"] = error }
            return values
        }
        var values: [String: Any] = [
            "title": PageKit.text("entry_new", request),
            "key": form.values["key"].flatMap { $0.isEmpty ? nil : $0 } ?? SecretToken.generate().text,
            "rowCount": form.rows, "moreRows": min(form.rows + 6, Self.rowsMax), "decimals": currency.exponent,
            "header": [field("date", "date", type: "date", required: true),
                       field("description", "description", required: true), field("reference", "reference")],
            "rows": (1...form.rows).map { row -> [String: Any] in
                ["row": row, "cells": Self.rowFields.map { name -> [String: Any] in
                    var cell = field("\(name)-\(row)", name == "budgetLine" ? "budget_line" : name)
                    // Suggestions from the chart and the districts (a section renders for any string).
                    if name == "account" { cell["list"] = "accounts" }
                    if name == "district" { cell["list"] = "districts" }
                    if name == "debit" || name == "credit" { cell["side"] = name }
                    return cell
                }]
            },
            "accounts": accounts.filter { !parents.contains($0.code) }.map {
                ["code": $0.code, "name": language == .id ? $0.nameId : $0.nameEn]
            },
            "districts": districts.map { ["code": $0.code, "name": language == .id ? $0.nameId : $0.nameEn] },
        ]
        if let formError = form.formError { values["formError"] = formError }
        if let totals = form.totals {
            values["totals"] = ["debit": totals.debit, "credit": totals.credit]
        }
        return kit.page("entry-new", values, request, user: user, status: status)
    }

    func postEntry(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.writeLedger, user) else { return PageKit.redirect("/journal") }
        var request = request
        let submitted = try await PageRoutes.form(&request)
        var form = EntryForm()
        form.rows = Int(submitted["rows"] ?? "").map { min(max($0, 2), Self.rowsMax) } ?? Self.rowsDefault
        for name in ["date", "description", "reference", "key"] {
            form.values[name] = (submitted[name] ?? "").trimmingCharacters(in: .whitespaces)
        }
        for row in 1...form.rows {
            for name in Self.rowFields {
                form.values["\(name)-\(row)"] = (submitted["\(name)-\(row)"] ?? "").trimmingCharacters(in: .whitespaces)
            }
        }
        guard CSRF.accepts(request, field: submitted.csrf) else {
            form.formError = PageKit.text("csrf_refused", request)
            return try await newEntryForm(request, user: user, form: form, status: .forbidden)
        }
        let currency = try await access.baseCurrency()
        let locale = PageKit.amountLocale(request)
        let reading = Self.read(form, currency: currency, locale: locale, text: { PageKit.text($0, request) })
        form.errors = reading.errors
        form.totals = (Money(minorUnits: reading.debits, currency: currency).formatted(locale),
                       Money(minorUnits: reading.credits, currency: currency).formatted(locale))
        if form.errors.isEmpty {
            if reading.postings.count < 2 {
                form.formError = PageKit.text("entry_two_rows", request)
            } else if reading.debits != reading.credits {
                form.formError = PageKit.text("entry_unbalanced", request)
            }
        }
        guard form.errors.isEmpty, form.formError == nil, let date = reading.date else {
            if form.formError == nil && form.errors.isEmpty { form.formError = PageKit.text("field_required", request) }
            return try await newEntryForm(request, user: user, form: form, status: .badRequest)
        }
        // The form's own key (hidden): without it a form sent twice would post twice.
        guard let key = form.values["key"], !key.isEmpty else {
            form.formError = PageKit.text("form_key_missing", request)
            return try await newEntryForm(request, user: user, form: form, status: .badRequest)
        }
        let draft = EntryDraft(
            date: date, description: form.values["description"] ?? "",
            reference: form.values["reference"].flatMap { $0.isEmpty ? nil : $0 }, source: .manual, author: user.id,
            idempotencyKey: "page-" + key, postings: reading.postings.map(\.posting))
        let now = access.now
        do {
            let result = try await access.run { try $0.post(draft, now: now) }
            context.notes.user = user.id
            context.record("entry posted", ["entry": .string(result.number.description), "replayed": .stringConvertible(result.replayed)])
            // The entry's page shows the figures of the lines it touched; the count says some warned.
            let warned = result.budgetWarnings.isEmpty ? "" : "?warnings=\(result.budgetWarnings.count)"
            return PageKit.redirect("/journal/\(result.number)\(warned)")
        } catch {
            let refusal = try PageRefusal(error, request)
            if let name = Self.formField(refusal.field, rows: reading.postings) {
                form.errors[name] = refusal.fieldMessage
            } else {
                form.formError = refusal.message
            }
            return try await newEntryForm(request, user: user, form: form, status: refusal.status)
        }
    }

    /// The rows read: postings with the row each came from, the errors by field, the totals.
    struct Reading {
        var date: LedgerDate?
        var postings: [(row: Int, side: String, posting: PostingDraft)] = []
        var errors: [String: String] = [:]
        var debits: Int64 = 0
        var credits: Int64 = 0
    }

    /// Reads the form: blank rows are skipped; a row needs an account and exactly one of a
    /// debit or a credit, a positive amount in the user's locale.
    static func read(_ form: EntryForm, currency: Currency, locale: AmountLocale, text: (String) -> String) -> Reading {
        var reading = Reading()
        for name in ["date", "description"] where (form.values[name] ?? "").isEmpty {
            reading.errors[name] = text("field_required")
        }
        if let typed = form.values["date"], !typed.isEmpty {
            reading.date = try? LedgerDate(parsing: typed)
            if reading.date == nil { reading.errors["date"] = text("date_invalid") }
        }
        for row in 1...form.rows {
            func value(_ name: String) -> String { form.values["\(name)-\(row)"] ?? "" }
            guard Self.rowFields.contains(where: { !value($0).isEmpty }) else { continue }
            if value("account").isEmpty { reading.errors["account-\(row)"] = text("field_required") }
            let sides = ["debit", "credit"].filter { !value($0).isEmpty }
            guard sides.count == 1, let side = sides.first else {
                reading.errors[sides.isEmpty ? "debit-\(row)" : "credit-\(row)"] = text(sides.isEmpty ? "entry_amount_missing" : "entry_both_sides")
                continue
            }
            let amount: Money
            do { amount = try Money.parse(value(side), currency: currency, locale: locale, field: side) } catch {
                reading.errors["\(side)-\(row)"] = text("amount_invalid")
                continue
            }
            guard amount.minorUnits > 0 else {
                reading.errors["\(side)-\(row)"] = text("amount_positive")
                continue
            }
            if side == "debit" {
                let (sum, overflow) = reading.debits.addingReportingOverflow(amount.minorUnits)
                guard !overflow else { reading.errors["debit-\(row)"] = text("amount_invalid"); continue }
                reading.debits = sum
            } else {
                let (sum, overflow) = reading.credits.addingReportingOverflow(amount.minorUnits)
                guard !overflow else { reading.errors["credit-\(row)"] = text("amount_invalid"); continue }
                reading.credits = sum
            }
            let signed = Money(minorUnits: side == "debit" ? amount.minorUnits : -amount.minorUnits, currency: currency)
            let dimensions = Dimensions(district: value("district").isEmpty ? nil : value("district"),
                                        budgetLine: value("budgetLine").isEmpty ? nil : value("budgetLine"))
            reading.postings.append((row, side, PostingDraft(accountCode: value("account"), amount: signed,
                                                             dimensions: dimensions)))
        }
        return reading
    }

    /// The form field behind a store's field name: `postings[2].account` is the account of the
    /// row the third posting came from; `postings[2].amount` its debit or credit.
    static func formField(_ field: String?, rows: [(row: Int, side: String, posting: PostingDraft)]) -> String? {
        guard let field else { return nil }
        if ["date", "description", "reference"].contains(field) { return field }
        guard field.hasPrefix("postings["), let close = field.firstIndex(of: "]"),
              let index = Int(field[field.index(field.startIndex, offsetBy: 9)..<close]), rows.indices.contains(index)
        else { return nil }
        let name = field[field.index(after: close)...].drop { $0 == "." }
        let source = rows[index]
        switch name {
        case "amount": return "\(source.side)-\(source.row)"
        case "account", "district", "budgetLine": return "\(name)-\(source.row)"
        default: return nil
        }
    }
}
