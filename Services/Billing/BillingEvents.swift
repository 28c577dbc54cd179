import Billing
import Contracts
import Foundation
import Messaging
import Postgres

/// The other services' events Billing keeps its picture by: Registration's subscriptions and
/// meters (with the readings taken when a meter goes on or off), the Tariff service's tariffs,
/// the ledger's payments. A change of owner or a termination is billed at once: the final bill.
struct BillingEvents: MessageHandler {
    static let followed = [
        SubscriptionCreated.routingKey, CustomersImported.routingKey, MeterInstalled.routingKey, MeterRemoved.routingKey, MeterRelocated.routingKey,
        OwnershipChanged.routingKey, SubscriptionStatusChanged.routingKey, TariffCreated.routingKey, TariffVersionPublished.routingKey,
        PaymentReceived.routingKey,
    ]

    let making: BillMaking

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        for message in messages { try await handle(message, context: context) }
    }

    func handle(_ message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        switch message.envelope.type {
        case SubscriptionCreated.type:
            let event = try message.decode(SubscriptionCreated.self)
            try await Self.upsert(
                [SubscriptionRow(
                    number: event.subscriptionNumber, customer: event.customerNumber, servicePoint: event.servicePointNumber, utility: event.utility,
                    useType: event.useType, region: event.region, tariffCode: event.tariffCode, cycle: event.billingCycle, startDate: event.startDate,
                    status: event.status.rawValue)], on: db)
        case CustomersImported.type:
            let event = try message.decode(CustomersImported.self)
            let moment = Int(message.envelope.timestamp.timeIntervalSince1970)
            var rows: [SubscriptionRow] = []
            var meters: [MeterRow] = []
            var readings: [ReadingBook.Incoming] = []
            var openings: [(String, MeterRow, [RegisterReading])] = []
            for entry in event.entries {
                guard let customer = entry.customerNumber else { continue }
                for subscription in entry.subscriptions {
                    rows.append(SubscriptionRow(
                        number: subscription.subscriptionNumber, customer: customer, servicePoint: subscription.servicePointNumber, utility: subscription.utility,
                        useType: subscription.useType, region: subscription.region, tariffCode: subscription.tariffCode, cycle: subscription.billingCycle,
                        startDate: subscription.startDate, status: SubscriptionStatus.active.rawValue))
                    let meter = MeterRow(
                        manufacturer: subscription.manufacturer, serialNumber: subscription.serialNumber, servicePoint: subscription.servicePointNumber,
                        dials: subscription.dials, multiplier: subscription.multiplier, registers: subscription.readings.map(\.register), at: moment)
                    meters.append(meter)
                    readings += Self.incoming(subscription.readings, of: meter, at: moment)
                    openings.append((subscription.subscriptionNumber, meter, subscription.readings))
                }
            }
            try await Self.upsert(rows, on: db)
            try await Self.install(meters, on: db)
            _ = try await ReadingBook.record(readings, cause: message, on: db)
            try await Self.open(openings.map { ($0.0, $0.1, $0.2, moment) }, on: db)
        case MeterInstalled.type:
            let meter = try Self.meter(try message.decode(MeterInstalled.self).installation, field: "installation")
            try await Self.install([meter.row], on: db)
            _ = try await ReadingBook.record(meter.readings, cause: message, on: db)
        case MeterRemoved.type:
            let meter = try Self.meter(try message.decode(MeterRemoved.self).removal, field: "removal")
            _ = try await ReadingBook.record(meter.readings, cause: message, on: db)
            _ = try await db.query(
                "UPDATE meters SET removed_at = $3 WHERE manufacturer = $1 AND serial_number = $2 AND removed_at IS NULL AND installed_at <= $3",
                [meter.row.manufacturer, meter.row.serialNumber, meter.row.at])
        case MeterRelocated.type:
            let meter = try Self.meter(try message.decode(MeterRelocated.self).relocation, field: "relocation")
            _ = try await ReadingBook.record(meter.readings, cause: message, on: db)
        case OwnershipChanged.type:
            try await ownershipChanged(try message.decode(OwnershipChanged.self), message: message, context: context)
        case SubscriptionStatusChanged.type:
            let event = try message.decode(SubscriptionStatusChanged.self)
            guard let moment = BillingDay.moment(event.at) else { throw MessageRejected(field: "at", "\"\(event.at)\" is not an ISO 8601 UTC date-time") }
            if event.to == .terminated {
                if let readings = event.readings, let meter = try await Self.meter(on: event.servicePointNumber, on: db) {
                    _ = try await ReadingBook.record(Self.incoming(readings, of: meter, at: moment, id: "END-\(event.subscriptionNumber)"), cause: message, on: db)
                }
                try await finalBill(event.subscriptionNumber, at: moment, context: context, cause: message)
            }
            _ = try await db.query("UPDATE subscriptions SET status = $2 WHERE number = $1", [event.subscriptionNumber, event.to.rawValue])
        case TariffCreated.type:
            let event = try message.decode(TariffCreated.self)
            try await TariffBook.store(event.tariff, versions: [event.version], on: db)
        case TariffVersionPublished.type:
            let event = try message.decode(TariffVersionPublished.self)
            try await TariffBook.publish(event.tariff, version: event.version, on: db)
        case PaymentReceived.type:
            let payment = try message.decode(PaymentReceived.self).payment
            _ = try await db.query(
                "INSERT INTO payments (payment_id, subscription_number, amount, value_date) VALUES ($1, $2, $3, $4::date) ON CONFLICT DO NOTHING",
                [payment.paymentId, payment.subscriptionNumber, payment.amount.amount, payment.valueDate])
        default:
            break  // Another event on a followed key: not Billing's business.
        }
    }

    /// The old owner's final bill to the readings at the change; the new owner's subscription
    /// opens on them.
    func ownershipChanged(_ event: OwnershipChanged, message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        guard let moment = BillingDay.moment(event.at) else { throw MessageRejected(field: "at", "\"\(event.at)\" is not an ISO 8601 UTC date-time") }
        guard let meter = try await Self.meter(on: event.servicePointNumber, on: db) else {
            throw MessageRejected(field: "servicePointNumber", "Billing knows no meter on \(event.servicePointNumber)")
        }
        _ = try await ReadingBook.record(Self.incoming(event.readings, of: meter, at: moment, id: "OWN-\(event.subscriptionNumber)"), cause: message, on: db)
        try await finalBill(event.previousSubscriptionNumber, at: moment, context: context, cause: message)
        _ = try await db.query(
            """
            INSERT INTO subscriptions (number, customer_number, service_point, utility, use_type, region, tariff_code, billing_cycle, start_date, status)
            SELECT $1, $2, service_point, utility, use_type, region, tariff_code, billing_cycle, $4::date, 'active' FROM subscriptions WHERE number = $3
            ON CONFLICT (number) DO UPDATE SET customer_number = excluded.customer_number, start_date = excluded.start_date
            """, [event.subscriptionNumber, event.customerNumber, event.previousSubscriptionNumber, BillingDay.text(day: BillingDay.day(of: moment) + 1)])
        _ = try await db.query("UPDATE subscriptions SET status = 'terminated' WHERE number = $1", [event.previousSubscriptionNumber])
        try await Self.open([(event.subscriptionNumber, meter, event.readings, moment)], on: db, id: "OWN-\(event.subscriptionNumber)")
    }

    /// The last bill of a subscription, to the day of its end.
    func finalBill(_ subscription: String, at moment: Int, context: MessageContext, cause: InboundMessage) async throws {
        let day = BillingDay.day(of: moment)
        let made = try await making.make(
            BillMaking.Order(
                numbers: [subscription], kind: .final, to: day, issueDay: max(day + 1, BillCancelling.today()), dueDays: 14, runId: nil,
                statuses: ["active", "suspended"]),
            context: context, cause: cause)
        if let exception = made.exceptions.first {
            context.send(try .contract(
                BillingCommandRefused(command: cause.envelope.type, problems: [FieldProblem("finalBill", "\(subscription): \(exception.reason)")]), causedBy: cause))
        }
    }

    struct SubscriptionRow {
        var number, customer, servicePoint: String
        var utility: Utility
        var useType: UseType
        var region, tariffCode, cycle, startDate, status: String
    }

    struct MeterRow {
        var manufacturer, serialNumber, servicePoint: String
        var dials: Int
        var multiplier: Double
        var registers: [String]
        var at: Int
    }

    /// A meter going on, off or moving, and the readings taken then.
    static func meter(_ taken: MeterReadingsTaken, field: String) throws(MessageRejected) -> (row: MeterRow, readings: [ReadingBook.Incoming]) {
        guard let moment = BillingDay.moment(taken.at) else { throw MessageRejected(field: "\(field).at", "\"\(taken.at)\" is not an ISO 8601 UTC date-time") }
        let row = MeterRow(
            manufacturer: taken.manufacturer, serialNumber: taken.serialNumber, servicePoint: taken.servicePointNumber, dials: taken.dials,
            multiplier: taken.multiplier, registers: taken.readings.map(\.register), at: moment)
        return (row, incoming(taken.readings, of: row, at: moment))
    }

    static func incoming(_ readings: [RegisterReading], of meter: MeterRow, at moment: Int, id: String = "REG") -> [ReadingBook.Incoming] {
        readings.map {
            ReadingBook.Incoming(
                reading: MeterReading(
                    readingId: "\(id)-\(meter.manufacturer)-\(meter.serialNumber)-\($0.register)-\(moment)", manufacturer: meter.manufacturer,
                    serialNumber: meter.serialNumber, register: $0.register, index: $0.index, readAt: BillingDay.text(moment: moment), source: .registration),
                moment: moment, path: "readings.", trusted: true)
        }
    }

    static func upsert(_ rows: [SubscriptionRow], on db: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        _ = try await db.query(
            """
            INSERT INTO subscriptions (number, customer_number, service_point, utility, use_type, region, tariff_code, billing_cycle, start_date, status)
            SELECT n, c, p, u, t, r, tc, cy, sd::date, st FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                                                    $8::text[], $9::text[], $10::text[]) AS s(n, c, p, u, t, r, tc, cy, sd, st)
            ON CONFLICT (number) DO UPDATE SET customer_number = excluded.customer_number, tariff_code = excluded.tariff_code,
                billing_cycle = excluded.billing_cycle, status = excluded.status, region = excluded.region, use_type = excluded.use_type
            """,
            [
                rows.map(\.number), rows.map(\.customer), rows.map(\.servicePoint), rows.map(\.utility.rawValue), rows.map(\.useType.rawValue), rows.map(\.region),
                rows.map(\.tariffCode), rows.map(\.cycle), rows.map(\.startDate), rows.map(\.status),
            ])
    }

    static func install(_ meters: [MeterRow], on db: PostgresConnection) async throws {
        guard !meters.isEmpty else { return }
        _ = try await db.query(
            """
            INSERT INTO meters (manufacturer, serial_number, installed_at, service_point, dials, multiplier, registers)
            SELECT m, s, a, p, d, x, string_to_array(r, ',') FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::float8[], $7::text[])
              AS k(m, s, a, p, d, x, r)
            ON CONFLICT DO NOTHING
            """,
            [
                meters.map(\.manufacturer), meters.map(\.serialNumber), meters.map(\.at), meters.map(\.servicePoint), meters.map(\.dials), meters.map(\.multiplier),
                meters.map { $0.registers.joined(separator: ",") },
            ])
    }

    /// The meter now on a service point.
    static func meter(on servicePoint: String, on db: PostgresConnection) async throws -> MeterRow? {
        try await db.query(
            """
            SELECT manufacturer, serial_number, dials, multiplier, registers, installed_at FROM meters
            WHERE service_point = $1 AND removed_at IS NULL ORDER BY installed_at DESC LIMIT 1
            """, [servicePoint]
        ).first.map {
            MeterRow(
                manufacturer: try $0.decode(String.self, 0), serialNumber: try $0.decode(String.self, 1), servicePoint: servicePoint, dials: try $0.decode(Int.self, 2),
                multiplier: try $0.decode(Double.self, 3), registers: try $0.decode([String].self, 4), at: try $0.decode(Int.self, 5))
        }
    }

    /// Subscriptions that start on readings of a meter already in place: their first bill opens on them.
    static func open(_ openings: [(String, MeterRow, [RegisterReading], Int)], on db: PostgresConnection, id: String = "REG") async throws {
        var rows: [(String, MeterRow, ReadingBook.Incoming)] = []
        for (subscription, meter, readings, moment) in openings {
            for item in incoming(readings, of: meter, at: moment, id: id) { rows.append((subscription, meter, item)) }
        }
        guard !rows.isEmpty else { return }
        _ = try await db.query(
            """
            INSERT INTO billed_registers (subscription_number, manufacturer, serial_number, register, reading_id, index, unwound, read_at, source)
            SELECT k.sub, r.manufacturer, r.serial_number, r.register, r.reading_id, r.index, r.unwound, r.read_at, r.source
            FROM unnest($1::text[], $2::text[]) AS k(sub, reading_id) JOIN readings r ON r.reading_id = k.reading_id
            ON CONFLICT (subscription_number, manufacturer, serial_number, register) DO NOTHING
            """, [rows.map(\.0), rows.map(\.2.reading.readingId)])
    }
}
