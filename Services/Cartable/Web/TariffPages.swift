import Contracts
import Foundation
import Hummingbird
import Pricing

/// Tariff pages: the list, one tariff's version with its fee tables and its schedules as
/// month-by-hour grids, its audit, a bill priced from it, two versions compared, and the form
/// that publishes a new version from the latest.
extension Pages {
    func addTariffs(to router: Router<BasicRequestContext>) {
        router.get("tariffs") { request, _ in
            try await page(request) { employee, csrf, _ in
                var values = base(employee, csrf: csrf, title: "Tariffs", nav: "tariffs")
                do {
                    values["tariffs"] = try await TariffRoutes.list(environment).tariffs.map { entry in
                        [
                            "code": entry.tariff.code, "name": entry.tariff.name, "utility": entry.tariff.utility.rawValue, "useType": entry.tariff.useType.rawValue,
                            "region": entry.tariff.region, "currency": entry.tariff.currency, "versions": String(entry.versions),
                            "inForce": entry.inForce ?? "not yet", "latest": entry.latest, "retired": entry.retiredFrom.map { "retired from \($0)" } ?? "",
                        ]
                    }
                } catch {
                    values["error"] = "The tariffs cannot be shown now: the Tariff service did not answer. Try again in a moment."
                }
                return render("tariffs", values)
            }
        }
        router.get("tariffs/:code") { request, context in
            let code = try context.parameters.require("code")
            return try await tariffPage(code, request) { record, values in
                var values = values
                let query = request.uri.queryParameters
                let today = Day(number: Int(Date().timeIntervalSince1970 / 86_400)).description
                let chosen = query["version"].map(String.init) ?? record.versions.last(where: { $0.effectiveFrom <= today })?.effectiveFrom ?? record.versions.last!.effectiveFrom
                guard let version = record.versions.first(where: { $0.effectiveFrom == chosen }) else {
                    return problemPage(.notFound, "No such version", "\(code) has no version from \(chosen).")
                }
                values.merge(Self.versionValues(version, record.tariff)) { $1 }
                values["versions"] = record.versions.map { ["effectiveFrom": $0.effectiveFrom, "chosen": $0.effectiveFrom == chosen ? true : nil] as [String: Any?] }
                values["audit"] = record.audit.reversed().map { entry in
                    [
                        "at": Self.shortTime(entry.at), "action": entry.action, "actor": TaskEvents.username(entry.actor), "effectiveFrom": entry.effectiveFrom,
                        "reason": entry.reason, "changes": entry.changes.map { ["field": $0.field, "before": $0.before ?? "—", "after": $0.after ?? "—"] },
                    ] as [String: Any]
                }
                // A bill priced on the page: a clerk's "what would it come to".
                if let from = query["from"].map(String.init), let to = query["to"].map(String.init) {
                    let total = Double(query["total"].map(String.init) ?? "") ?? -1
                    values["priceFrom"] = from
                    values["priceTo"] = to
                    values["priceTotal"] = query["total"].map(String.init) ?? ""
                    let region = query["region"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
                    values["priceRegion"] = region ?? ""
                    switch try await TariffRoutes.price(
                        PriceRequest(tariffCode: code, region: region, from: from, to: to, consumption: Consumption(registers: ["total": total])), environment)
                    {
                    case .success(let quote):
                        values["quote"] = [
                            "lines": quote.lines.map { line in
                                [
                                    "name": line.name, "part": "\(quote.parts[line.part].from) – \(quote.parts[line.part].to)",
                                    "quantity": line.quantity.map { "\($0.formatted(.number.precision(.fractionLength(0...3)))) \(line.unit ?? "")" } ?? "",
                                    "unitPrice": line.unitPrice?.description ?? "", "amount": Self.money(line.amount, quote.minorDigits),
                                ]
                            },
                            "total": Self.money(quote.total, quote.minorDigits) + " " + quote.currency,
                        ] as [String: Any]
                    case .failure(let unpriced): values["priceError"] = unpriced.reason
                    }
                }
                return render("tariff", values)
            }
        }
        router.get("tariffs/:code/compare") { request, context in
            let code = try context.parameters.require("code")
            return try await tariffPage(code, request) { record, values in
                var values = values
                let a = request.uri.queryParameters["a"].map(String.init) ?? ""
                let b = request.uri.queryParameters["b"].map(String.init) ?? ""
                guard let earlier = record.versions.first(where: { $0.effectiveFrom == a }), let later = record.versions.first(where: { $0.effectiveFrom == b }) else {
                    return problemPage(.notFound, "No such versions", "Choose two of \(code)'s versions: \(record.versions.map(\.effectiveFrom).joined(separator: ", ")).")
                }
                values["a"] = a
                values["b"] = b
                let changes = later.changes(from: earlier)
                values["changes"] = changes.map { ["field": Self.label($0.field), "path": $0.field, "before": $0.before ?? "—", "after": $0.after ?? "—"] }
                values["same"] = changes.isEmpty ? true : nil
                return render("tariff-compare", values)
            }
        }
        router.get("tariffs/:code/publish") { request, context in
            let code = try context.parameters.require("code")
            return try await tariffPage(code, request, managersOnly: true) { record, values in
                render("tariff-publish", Self.publishValues(record, values, edits: [:], effectiveFrom: "", reason: "", problems: []))
            }
        }
        router.post("tariffs/:code/publish") { request, context in
            let code = try context.parameters.require("code")
            return try await post(request) { employee, csrf, form, db in
                guard TariffRoutes.mayPublish(employee) else {
                    return problemPage(.forbidden, "Not yours to change", "Only tariff managers publish tariff versions.", employee: employee, csrf: csrf)
                }
                guard let record = try await TariffRoutes.record(code, environment) else {
                    return problemPage(.notFound, "No such tariff", "There is no tariff \(code).", employee: employee, csrf: csrf)
                }
                let edits = form.singles.filter { !$0.key.hasPrefix("_") && $0.key != "effectiveFrom" && $0.key != "reason" }
                let effectiveFrom = form.first("effectiveFrom") ?? "", reason = form.first("reason") ?? ""
                let problems = try await TariffRoutes.publish(record, edits: edits, effectiveFrom: effectiveFrom, reason: reason, by: employee, on: db)
                guard problems.isEmpty else {
                    var values = base(employee, csrf: csrf, title: "Publish a version of \(code)", nav: "tariffs")
                    values["error"] = "The version is not published: " + problems.map { "\(Self.label($0.field)): \($0.message)" }.joined(separator: "; ")
                    return render("tariff-publish", Self.publishValues(record, values, edits: edits, effectiveFrom: effectiveFrom, reason: reason, problems: problems),
                                  status: .unprocessableContent)
                }
                return Response.redirect(to: "/tariffs/\(code)?" + Pages.query(["version": record.versions.last!.effectiveFrom, "published": effectiveFrom]))
            }
        }
    }

    /// A tariff's page for a signed-in employee, with the record asked of the Tariff service.
    private func tariffPage(
        _ code: String, _ request: Request, managersOnly: Bool = false, _ body: @escaping (TariffRecord, [String: Any]) async throws -> Response
    ) async throws -> Response {
        try await page(request) { employee, csrf, _ in
            if managersOnly, !TariffRoutes.mayPublish(employee) {
                return problemPage(.forbidden, "Not yours to change", "Only tariff managers publish tariff versions.", employee: employee, csrf: csrf)
            }
            let record: TariffRecord?
            do {
                record = try await TariffRoutes.record(code, environment)
            } catch {
                return problemPage(.serviceUnavailable, "Not available", "The Tariff service did not answer. Try again in a moment.", employee: employee, csrf: csrf)
            }
            guard let record else { return problemPage(.notFound, "No such tariff", "There is no tariff \(code).", employee: employee, csrf: csrf) }
            var values = base(employee, csrf: csrf, title: "\(record.tariff.code) · \(record.tariff.name)", nav: "tariffs")
            let tariff = record.tariff
            values["code"] = tariff.code
            values["name"] = tariff.name
            values["facts"] = [
                ("Utility", tariff.utility.rawValue), ("Use type", tariff.useType.rawValue), ("Region", tariff.region), ("Currency", tariff.currency),
                ("Unit", tariff.unit), ("Published by", tariff.provider.isEmpty ? "this utility" : tariff.provider),
                ("Status", record.retiredFrom.map { "retired from \($0)" } ?? "in use"),
            ].map { ["label": $0.0, "value": $0.1] }
            values["mayPublish"] = TariffRoutes.mayPublish(employee) && record.retiredFrom == nil ? true : nil
            if let published = request.uri.queryParameters["published"] {
                values["notice"] = "The version from \(published) is sent to the Tariff service; it is listed here once recorded (reload in a moment)."
            }
            return try await body(record, values)
        }
    }

    static func publishValues(
        _ record: TariffRecord, _ values: [String: Any], edits: [String: String], effectiveFrom: String, reason: String, problems: [FieldProblem]
    ) -> [String: Any] {
        var values = values
        let latest = record.versions.last!
        values["code"] = record.tariff.code
        values["name"] = record.tariff.name
        values["latest"] = latest.effectiveFrom
        values["effectiveFrom"] = effectiveFrom
        values["reason"] = reason
        let wrong = Dictionary(problems.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        values["effectiveFromProblem"] = wrong["effectiveFrom"]
        values["reasonProblem"] = wrong["reason"]
        values["fields"] = latest.editableFields.map { field, value in
            [
                "field": field, "label": label(field), "value": edits[field] ?? value, "current": value,
                "schedule": field.contains("Schedule[") ? true : nil,
                "problem": wrong.first { $0.key == field || $0.key.hasPrefix(field + "[") }?.value,
            ] as [String: Any?]
        }
        return values
    }

    /// `energy.periods[0].tiers[1].price` as a tariff manager reads it: "Energy, period 1, tier 2: price".
    static func label(_ field: String) -> String {
        var words: [String] = []
        for step in TariffVersion.path(field) {
            switch step {
            case .key(let key):
                words.append([
                    "energy": "Energy", "demand": "Demand", "flat": "flat", "timeOfUse": "time of use", "fixedCharges": "Fixed charge", "minimum": "Minimum",
                    "regionFactors": "Region factor", "discounts": "Discount", "taxes": "Tax", "upTo": "up to", "fixedPerMonth": "a month",
                    "weekdaySchedule": "weekday schedule", "weekendSchedule": "weekend schedule", "periods": "period", "tiers": "tier",
                ][key] ?? key)
            case .index(let index):
                if let last = words.last, last.hasSuffix("schedule") {
                    words[words.count - 1] = "\(last), \(months[index])"
                } else if !words.isEmpty {
                    words[words.count - 1] += " \(index + 1)"
                }
            }
        }
        return words.joined(separator: ", ")
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func money(_ minor: Int, _ digits: Int) -> String {
        let value = Double(minor) / pow(10, Double(digits))
        return value.formatted(.number.precision(.fractionLength(digits)))
    }

    /// A version's fee tables and grids, for the template.
    static func versionValues(_ version: TariffVersion, _ tariff: Tariff) -> [String: Any] {
        func tiers(_ periods: [RatePeriod], unit: String) -> [[String: Any]] {
            periods.enumerated().map { index, period in
                var lower = TariffDecimal.zero
                return [
                    "index": String(index), "name": period.name,
                    "tiers": period.tiers.map { tier in
                        defer { lower = tier.upTo ?? lower }
                        return [
                            "block": tier.upTo.map { "\(lower) – \($0) \(unit)" } ?? "over \(lower) \(unit)", "price": tier.price.description,
                            "adjustment": tier.adjustment == .zero ? "" : tier.adjustment.description,
                        ]
                    },
                ]
            }
        }
        func grid(_ schedule: MonthHourSchedule, _ periods: [RatePeriod]) -> [[String: Any]] {
            schedule.enumerated().map { month, hours in
                [
                    "month": String(months[month].prefix(3)),
                    "hours": hours.enumerated().map { hour, period in
                        ["period": String(period), "title": "\(months[month]) \(hour):00–\(hour + 1):00: \(periods.indices.contains(period) ? periods[period].name : "?")"]
                    },
                ]
            }
        }
        var values: [String: Any] = [
            "effectiveFrom": version.effectiveFrom, "tierBasis": version.energy.tierBasis == .day ? "a day, times the days billed" : "a month, prorated by days",
            "fixedCharges": version.fixedCharges.map { ["name": $0.name, "amount": $0.amount.description, "per": $0.per.rawValue] },
            "energy": ["periods": tiers(version.energy.periods, unit: tariff.unit)],
            "weekday": ["grid": grid(version.energy.weekdaySchedule, version.energy.periods)],
            "weekend": ["grid": grid(version.energy.weekendSchedule, version.energy.periods)],
            "hours": (0..<24).map { String($0) },
            "weekendDays": version.weekendDays.map { ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][$0] }.joined(separator: ", "),
            "holidays": version.holidays.joined(separator: ", "),
            "seasons": version.seasons.map { ["name": $0.name, "months": $0.months.map { String(months[$0 - 1].prefix(3)) }.joined(separator: ", ")] },
            "regionFactors": version.regionFactors.map { ["region": $0.region, "factor": $0.factor.description, "on": $0.on.map(\.rawValue).joined(separator: ", ")] },
            "discounts": version.discounts.map {
                ["name": $0.name, "percent": $0.percent.description, "who": ($0.useTypes.map(\.rawValue) + $0.categories).joined(separator: ", "), "on": $0.on.map(\.rawValue).joined(separator: ", ")]
            },
            "taxes": version.taxes.map {
                ["name": $0.name, "rate": [$0.percent.map { "\($0) %" }, $0.fixedPerMonth.map { "\($0) a month" }].compactMap { $0 }.joined(separator: " and "),
                 "on": $0.on.map(\.rawValue).joined(separator: ", ")]
            },
            "rounding": "\(version.rounding.mode.rawValue), per \(version.rounding.per.rawValue)",
        ]
        if let minimum = version.minimum { values["minimum"] = "\(minimum.amount) a \(minimum.per.rawValue)" }
        if let flat = version.demand?.flat {
            values["flatDemand"] = ["periods": tiers(flat.periods, unit: "kW"), "months": flat.months.enumerated().map { "\(months[$0.offset].prefix(3)): \(flat.periods[$0.element].name)" }.joined(separator: ", ")] as [String: Any]
        }
        if let timeOfUse = version.demand?.timeOfUse {
            values["timeOfUseDemand"] = [
                "periods": tiers(timeOfUse.periods, unit: "kW"), "weekday": ["grid": grid(timeOfUse.weekdaySchedule, timeOfUse.periods)],
            ] as [String: Any]
        }
        return values
    }
}
