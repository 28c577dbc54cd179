import Contracts
import Foundation

extension InboundMessage {
    private static let jobIdKey = Array(#""jobId""#.utf8)

    /// The job of a process's service task, when this message is one: the orchestrator sends it
    /// typed as the command its job type names (`registration.install-meter.v1`), so a worker
    /// tells it from the command by its body. Only a body with a job id is decoded as one: a
    /// large command decoded twice cost a third of its handling.
    public var workerJob: WorkerJob? {
        guard hasJobId, let job = try? decode(WorkerJob.self), envelope.type == "\(job.type).v1" else { return nil }
        return job
    }

    /// Whether `"jobId"` is in the body, by `memchr` and `memcmp`: Foundation's generic
    /// `firstRange(of:)` was 4 % of Registration's CPU on import batches of half a megabyte.
    private var hasJobId: Bool {
        body.withUnsafeBufferPointer { body in
            Self.jobIdKey.withUnsafeBufferPointer { key in
                guard var at = body.baseAddress, body.count >= key.count else { return false }
                let last = body.baseAddress! + (body.count - key.count)
                while at <= last, let quote = memchr(at, Int32(key[0]), last - at + 1) {
                    let found = quote.assumingMemoryBound(to: UInt8.self)
                    if memcmp(found, key.baseAddress!, key.count) == 0 { return true }
                    at = UnsafePointer(found) + 1
                }
                return false
            }
        }
    }
}

extension JSONValue {
    /// A job's variables (this object) decoded as the command its type names; a field that does
    /// not fit is named `variables.<field>`, as the process holds it.
    public func decodeVariables<T: Decodable>(_ type: T.Type) throws(MessageRejected) -> T {
        do {
            return try JSONBody.decode(T.self, from: canonicalJSON)
        } catch let error as DecodingError {
            let rejected = MessageRejected(decoding: error)
            throw MessageRejected(field: "variables.\(rejected.field ?? "body")", rejected.reason)
        } catch {
            throw MessageRejected(field: "variables", "\(error)")
        }
    }
}
