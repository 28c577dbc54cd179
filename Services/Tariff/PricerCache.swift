import Contracts
import Postgres
import Pricing
import Synchronization

/// Each tariff made ready to price, kept between requests and built again when its revision in
/// the database moves (a version published or the tariff retired, by this replica or another).
final class PricerCache: Sendable {
    struct Entry: Sendable {
        let revision: Int
        let pricer: Pricer
        let retiredFrom: String?
    }
    private let entries = Mutex<[String: Entry]>([:])

    /// The current entries of `codes`; a code without a tariff is left out.
    func entries(_ codes: Set<String>, on db: PostgresConnection) async throws -> [String: Entry] {
        let revisions = try await TariffStore.revisions(Array(codes), on: db)
        var current = entries.withLock { cached in cached.filter { revisions[$0.key] == $0.value.revision } }
        for (code, _) in revisions where current[code] == nil {
            guard let stored = try await TariffStore.load(code, on: db) else { continue }
            let entry = Entry(revision: stored.revision, pricer: try Pricer(tariff: stored.tariff, versions: stored.versions), retiredFrom: stored.retiredFrom)
            current[code] = entry
            entries.withLock { $0[code] = entry }
        }
        return current
    }
}

extension PricerCache.Entry {
    /// The request priced, or refused by field.
    func price(_ request: PriceRequest) -> Result<PriceQuote, PricingRefused> {
        if let retired = retiredFrom, request.to >= retired {
            return .failure(PricingRefused("to", "tariff \(request.tariffCode) is retired from \(retired)"))
        }
        do { return .success(try pricer.price(request)) } catch { return .failure(error) }
    }
}
