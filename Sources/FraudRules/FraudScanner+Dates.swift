import LedgerCore

extension FraudScanner {
    // MARK: - R10 ineligible dates

    /// An activity that had not ended when the claim was submitted, that starts before the
    /// grant or ends after it closes, or that falls in a period already closed when the
    /// claim was first submitted. Drafts (not submitted) are not judged.
    func ineligibleDates(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r10) else { return [] }
        return claims.compactMap { claim in
            guard let submitted = claim.submittedOn else { return nil }
            var reasons: [String] = []
            if claim.activityTo > submitted {
                reasons.append("the activity ends on \(claim.activityTo), after the submission on \(submitted)")
            }
            if let start = eligibility.grantStart, claim.activityFrom < start {
                reasons.append("the activity starts on \(claim.activityFrom), before the grant starts on \(start)")
            }
            if let end = eligibility.grantEnd, claim.activityTo > end {
                reasons.append("the activity ends on \(claim.activityTo), after the grant closes on \(end)")
            }
            let closed = eligibility.closedPeriods.filter { period, closedAt in
                let closedBefore = claim.submittedAt.map { closedAt <= $0 } ?? ((closedAt.utcDate ?? submitted) <= submitted)
                return closedBefore && period.firstDay <= claim.activityTo && period.lastDay >= claim.activityFrom
            }
            for (period, closedAt) in closed.sorted(by: { $0.key < $1.key }) {
                reasons.append("the activity falls in closed period \(period), closed on \(closedAt.utcDate ?? submitted)")
            }
            guard !reasons.isEmpty else { return nil }
            return Finding(rule: .r10, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                           evidence: reasons.joined(separator: "; "))
        }
    }

    // MARK: - R11 weekends and public holidays

    /// Days of an activity worth naming, at most: a month-long activity is one finding with
    /// its first off days, not a list of thirty.
    static let offDaysNamedMax = 10

    /// Activity days on a Saturday, a Sunday or a public holiday of the policy.
    func offDayActivities(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r11) else { return [] }
        return claims.compactMap { claim in
            let first = claim.activityFrom.dayNumber
            // An activity is at most a year: bound the walk whatever the dates say.
            let last = min(max(first, claim.activityTo.dayNumber), first + 366)
            var offDays: [String] = []
            var count = 0
            for dayNumber in first...last {
                guard let day = LedgerDate(dayNumber: dayNumber), let why = offDayReason(day) else { continue }
                count += 1
                if offDays.count < Self.offDaysNamedMax { offDays.append("\(day) (\(why))") }
            }
            guard count > 0 else { return nil }
            let more = count > offDays.count ? " and \(count - offDays.count) more" : ""
            return Finding(rule: .r11, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                           evidence: "activity on \(count) day(s) off: " + offDays.joined(separator: ", ") + more)
        }
    }

    /// Why `day` is not a working day, or nil when it is one.
    func offDayReason(_ day: LedgerDate) -> String? {
        if let holiday = policy.holidays[day] {
            return holiday.kind == .national ? holiday.nameEn : "collective leave, \(holiday.nameEn)"
        }
        // 1970-01-01 (day 0) was a Thursday: day 2 was a Saturday, day 3 a Sunday.
        switch ((day.dayNumber % 7) + 7) % 7 {
        case 2: return "Saturday"
        case 3: return "Sunday"
        default: return nil
        }
    }
}
