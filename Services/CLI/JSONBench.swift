import ArgumentParser
import Contracts
import Foundation

/// `utilis bench json`: the message bodies the busiest queues carry, read and written by
/// `JSONBody` and by Foundation's coders, on one core, with the same bytes in and out.
struct JSONBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "json", abstract: "Message bodies decoded and encoded per second, by JSONBody and by Foundation.")

    @Option(help: "Seconds of each measurement round.") var seconds = 0.5
    @Option(help: "Rounds of each, alternating the two coders; the median is reported.") var rounds = 5
    @Flag(help: "JSONBody alone (for a profile).") var onlyJSONBody = false

    func run() throws {
        print("utilis bench json")
        print("setup: one thread of \(ProcessInfo.processInfo.activeProcessorCount) cores; each body decoded into its contract type and encoded back,")
        print("       \(rounds) rounds of \(seconds) s alternating JSONBody and Foundation (sorted keys, ISO 8601 dates), median reported")
        try measure(ImportCustomers.self, entries: 500, "registration.import-customers, 500 customers")
        try measure(CustomersImported.self, entries: 500, "registration.customers-imported, 500 entries")
        try measure(RecordPayments.self, entries: 1000, "ledger.record-payments, 1000 payments")
        try measure(PostBillCharges.self, entries: 1000, "ledger.post-bill-charges, 1000 bills")
        try measure(CompleteJob.self, entries: 1, "orchestrator.complete-job")
    }

    /// The contract's example with its list repeated to `entries`, as a batch of them is sent.
    func body<M: MessageContract>(_ type: M.Type, entries: Int) throws -> [UInt8] {
        guard case .object(var fields) = try JSONValue.of(M.example) else { throw ValidationError("\(M.type): its example is not an object") }
        if let (key, first) = fields.first(where: { if case .array(let list) = $0.value { !list.isEmpty } else { false } }), case .array(let list) = first {
            fields[key] = .array((0..<entries).map { list[$0 % list.count] })
        }
        return Array(JSONValue.object(fields).canonicalJSON.utf8)
    }

    func measure<M: MessageContract>(_ type: M.Type, entries: Int, _ name: String) throws {
        let bytes = try body(type, entries: entries)
        let message = try JSONBody.decode(M.self, from: bytes)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard try JSONBody.encode(message) == Array(try encoder.encode(message)) else { throw ValidationError("\(M.type): the two encoders disagree") }
        let data = Data(bytes)
        var ours: (decode: [Double], encode: [Double]) = ([], [])
        var foundation: (decode: [Double], encode: [Double]) = ([], [])
        for _ in 0..<rounds {
            ours.decode.append(try rate { _ = try JSONBody.decode(M.self, from: bytes) })
            if onlyJSONBody {
                ours.encode.append(try rate { _ = try JSONBody.encode(message) })
                continue
            }
            foundation.decode.append(try rate {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                _ = try decoder.decode(M.self, from: data)
            })
            ours.encode.append(try rate { _ = try JSONBody.encode(message) })
            foundation.encode.append(try rate {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                _ = try encoder.encode(message)
            })
        }
        func line(_ verb: String, _ mine: [Double], _ theirs: [Double]) -> String {
            guard !theirs.isEmpty else { return "  \(verb): JSONBody \(Self.time(1 / median(mine)))" }
            let (a, b) = (median(mine), median(theirs))
            return "  \(verb): JSONBody \(Self.time(1 / a)) (\(Self.megabytes(a * Double(bytes.count))) MB/s), Foundation \(Self.time(1 / b)); \(String(format: "%.1f", a / b))× as fast"
        }
        print("\(name) (\(bytes.count) bytes):")
        print(line("decode", ours.decode, foundation.decode))
        print(line("encode", ours.encode, foundation.encode))
    }

    /// Runs of `body` per second over one round.
    func rate(_ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var runs = 0
        while true {
            try body()
            runs += 1
            let elapsed = (clock.now - start).seconds
            if elapsed >= seconds { return Double(runs) / elapsed }
        }
    }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func time(_ seconds: Double) -> String {
        seconds >= 1e-3 ? String(format: "%.2f ms", seconds * 1e3) : String(format: "%.1f µs", seconds * 1e6)
    }

    static func megabytes(_ bytes: Double) -> String { String(format: "%.0f", bytes / 1e6) }
}
