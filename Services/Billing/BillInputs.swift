import Billing
import Contracts
import Foundation
import Postgres

/// What bills are made from, loaded for many subscriptions at once: their terms and where they
/// were last billed to, the meters on their service points, each register's opening and
/// latest reading, interval data, and the payments since their last bill.
struct BillInputs {
    struct Subscription {
        var terms: SubscriptionTerms
        var status: String
        var billedTo: Int?
        var lastBillId: String?
        var lastDue: Int
        var lastIssue: Int?
        var dailyUsage: [String: Double]
    }

    struct Span {
        var servicePoint: String
        var manufacturer: String
        var serialNumber: String
        var installedAt: Int
        var removedAt: Int?
        var dials: MeterDials
        var registers: [String]
    }

    var subscriptions: [String: Subscription] = [:]
    var spans: [String: [Span]] = [:]
    /// `subscription · manufacturer · serial · register` → where its next bill opens.
    var openings: [String: Read] = [:]
    /// `manufacturer · serial · register · moment` → Registration's reading at that moment.
    var registrationReads: [String: Read] = [:]
    /// `manufacturer · serial · register` → latest valid reading up to the period end.
    var latest: [String: Read] = [:]
    /// `manufacturer · serial` → interval blocks around the period.
    var intervals: [String: [Intervals.Block]] = [:]
    var paymentsSince: [String: Int] = [:]

    static func key(_ parts: String...) -> String { parts.joined(separator: "\u{1}") }

    static func load(_ numbers: [String], to: Int, on db: PostgresConnection) async throws -> BillInputs {
        var inputs = BillInputs()
        let end = BillingDay.endOf(day: to)
        for row in try await db.query(
            """
            SELECT number, customer_number, service_point, utility, use_type, region, tariff_code, billing_cycle, start_date::text, status,
                   billed_to::text, last_bill_id, last_due, last_issue::text, daily_usage
            FROM subscriptions WHERE number = ANY($1)
            """, [numbers])
        {
            let number = try row.decode(String.self, 0)
            let utility = try row.decode(String.self, 3), useType = try row.decode(String.self, 4)
            guard let utility = Utility(rawValue: utility), let useType = UseType(rawValue: useType),
                let start = BillingDay.day(try row.decode(String.self, 8))
            else { throw PostgresError(.decoding, "subscription \(number) is stored with a utility, use type or start Billing does not know") }
            inputs.subscriptions[number] = Subscription(
                terms: SubscriptionTerms(
                    subscriptionNumber: number, customerNumber: try row.decode(String.self, 1), servicePointNumber: try row.decode(String.self, 2),
                    utility: utility, useType: useType, region: try row.decode(String.self, 5), tariffCode: try row.decode(String.self, 6),
                    billingCycle: try row.decode(String.self, 7), startDay: start),
                status: try row.decode(String.self, 9), billedTo: try row.decode(String?.self, 10).flatMap(BillingDay.day),
                lastBillId: try row.decode(String?.self, 11), lastDue: try row.decode(Int.self, 12),
                lastIssue: try row.decode(String?.self, 13).flatMap(BillingDay.day),
                dailyUsage: StoredJSON.usage(try row.decode(String.self, 14)))
        }
        let points = Array(Set(inputs.subscriptions.values.map(\.terms.servicePointNumber)))
        var meterKeys: [(String, String)] = [], moments: [(String, String, Int)] = []
        for row in try await db.query(
            """
            SELECT service_point, manufacturer, serial_number, installed_at, removed_at, dials, multiplier, registers
            FROM meters WHERE service_point = ANY($1) AND installed_at <= $2 ORDER BY installed_at
            """, [points, end])
        {
            let span = Span(
                servicePoint: try row.decode(String.self, 0), manufacturer: try row.decode(String.self, 1), serialNumber: try row.decode(String.self, 2),
                installedAt: try row.decode(Int.self, 3), removedAt: try row.decode(Int?.self, 4),
                dials: MeterDials(dials: try row.decode(Int.self, 5), multiplier: try row.decode(Double.self, 6)), registers: try row.decode([String].self, 7))
            inputs.spans[span.servicePoint, default: []].append(span)
            meterKeys.append((span.manufacturer, span.serialNumber))
            moments.append((span.manufacturer, span.serialNumber, span.installedAt))
            if let removed = span.removedAt { moments.append((span.manufacturer, span.serialNumber, removed)) }
        }
        for row in try await db.query(
            """
            SELECT subscription_number, manufacturer, serial_number, register, reading_id, index, unwound, read_at, source
            FROM billed_registers WHERE subscription_number = ANY($1)
            """, [numbers])
        {
            inputs.openings[key(try row.decode(String.self, 0), try row.decode(String.self, 1), try row.decode(String.self, 2), try row.decode(String.self, 3))] =
                try ReadingBook.read(row, from: 4)
        }
        for row in try await db.query(
            """
            SELECT r.manufacturer, r.serial_number, r.register, r.reading_id, r.index, r.unwound, r.read_at, r.source
            FROM readings r JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS k(manufacturer, serial_number, read_at)
              ON r.manufacturer = k.manufacturer AND r.serial_number = k.serial_number AND r.read_at = k.read_at
            WHERE r.source = 'registration' AND r.status = 'valid'
            """, [moments.map(\.0), moments.map(\.1), moments.map(\.2)])
        {
            let read = try ReadingBook.read(row, from: 3)
            inputs.registrationReads[key(try row.decode(String.self, 0), try row.decode(String.self, 1), try row.decode(String.self, 2), String(read.at))] = read
        }
        let registers = inputs.spans.values.flatMap { $0 }.flatMap { span in span.registers.map { (span.manufacturer, span.serialNumber, $0) } }
        for row in try await db.query(
            """
            SELECT k.manufacturer, k.serial_number, k.register, p.reading_id, p.index, p.unwound, p.read_at, p.source
            FROM unnest($1::text[], $2::text[], $3::text[]) AS k(manufacturer, serial_number, register)
            CROSS JOIN LATERAL (
                SELECT reading_id, index, unwound, read_at, source FROM readings r
                WHERE r.manufacturer = k.manufacturer AND r.serial_number = k.serial_number AND r.register = k.register
                  AND r.status = 'valid' AND r.read_at <= $4
                ORDER BY r.read_at DESC LIMIT 1) p
            """, [registers.map(\.0), registers.map(\.1), registers.map(\.2), end])
        {
            inputs.latest[key(try row.decode(String.self, 0), try row.decode(String.self, 1), try row.decode(String.self, 2))] = try ReadingBook.read(row, from: 3)
        }
        let firstDay = inputs.subscriptions.values.map { $0.billedTo.map { $0 + 1 } ?? $0.terms.startDay }.min() ?? to
        for row in try await db.query(
            """
            SELECT i.manufacturer, i.serial_number, i.start_minute, i.minutes, i.values
            FROM intervals i JOIN unnest($1::text[], $2::text[]) AS k(manufacturer, serial_number)
              ON i.manufacturer = k.manufacturer AND i.serial_number = k.serial_number
            WHERE i.start_minute BETWEEN $3 AND $4
            """, [meterKeys.map(\.0), meterKeys.map(\.1), (firstDay - 31) * 1_440, (to + 1) * 1_440])
        {
            inputs.intervals[key(try row.decode(String.self, 0), try row.decode(String.self, 1)), default: []].append(
                Intervals.Block(start: try row.decode(Int.self, 2), minutes: try row.decode(Int.self, 3), values: try row.decode([Double].self, 4)))
        }
        for row in try await db.query(
            """
            SELECT p.subscription_number, sum(p.amount) FROM payments p JOIN subscriptions s ON s.number = p.subscription_number
            WHERE p.subscription_number = ANY($1) AND (s.last_issue IS NULL OR p.value_date >= s.last_issue) GROUP BY p.subscription_number
            """, [numbers])
        {
            inputs.paymentsSince[try row.decode(String.self, 0)] = try row.decode(Int.self, 1)
        }
        return inputs
    }

    /// A subscription's registers to bill to `to`, or why it cannot be billed.
    func registers(of subscription: Subscription, to: Int) -> Result<[RegisterToBill], BillingRefused> {
        let number = subscription.terms.subscriptionNumber
        let since = subscription.billedTo.map { BillingDay.endOf(day: $0) } ?? Int.min
        let end = BillingDay.endOf(day: to)
        var result: [RegisterToBill] = []
        for span in spans[subscription.terms.servicePointNumber] ?? [] where span.installedAt <= end && (span.removedAt.map { $0 > since } ?? true) {
            for register in span.registers {
                let meter = Self.key(span.manufacturer, span.serialNumber, register)
                let installed = registrationReads[Self.key(span.manufacturer, span.serialNumber, register, String(span.installedAt))]
                guard let opening = openings[Self.key(number, meter)].flatMap({ $0.at >= span.installedAt ? $0 : nil }) ?? installed else {
                    return .failure(BillingRefused(
                        "readings", "meter \(span.serialNumber) register \(register) has no reading to open the period on (installation or last bill)"))
                }
                var removal: Read?
                if let removed = span.removedAt, removed <= end {
                    guard let read = registrationReads[Self.key(span.manufacturer, span.serialNumber, register, String(removed))] else {
                        return .failure(BillingRefused("readings", "meter \(span.serialNumber) was removed without a reading of register \(register)"))
                    }
                    removal = read
                }
                result.append(RegisterToBill(
                    manufacturer: span.manufacturer, serialNumber: span.serialNumber, register: register, dials: span.dials, opening: opening, removal: removal,
                    latest: latest[meter].flatMap { $0.at <= (removal?.at ?? end) ? $0 : nil }))
            }
        }
        guard !result.isEmpty else { return .failure(BillingRefused("meters", "no meter is on service point \(subscription.terms.servicePointNumber) in the period")) }
        return .success(result)
    }

    /// The period's interval data, when every meter of the draft has it whole.
    func intervals(for draft: BillDraft) -> IntervalReadings? {
        let meters = Set(draft.registers.map { Self.key($0.manufacturer, $0.serialNumber) })
        guard meters.count == 1, let meter = meters.first, let blocks = intervals[meter], let multiplier = draft.registers.first?.multiplier else { return nil }
        return Intervals.covering(from: draft.from, to: draft.to, blocks: blocks, multiplier: multiplier)
    }
}
