import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure a capability on this machine and print the figures and their setup.",
        subcommands: [BPMNBench.self, JSONBench.self, MessagingBench.self, OrchestratorBench.self, CartableBench.self, RegistrationBench.self, PricingBench.self, LedgerBench.self, BillingBench.self, ReportsBench.self])
}
