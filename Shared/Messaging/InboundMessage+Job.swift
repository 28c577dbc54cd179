import Contracts

extension InboundMessage {
    private static let jobIdKey = Array(#""jobId""#.utf8)

    /// The job of a process's service task, when this message is one: the orchestrator sends it
    /// typed as the command its job type names (`registration.install-meter.v1`), so a worker
    /// tells it from the command by its body. Only a body with a job id is decoded as one: a
    /// large command decoded twice cost a third of its handling.
    public var workerJob: WorkerJob? {
        guard body.firstRange(of: Self.jobIdKey) != nil, let job = try? decode(WorkerJob.self), envelope.type == "\(job.type).v1" else { return nil }
        return job
    }
}
