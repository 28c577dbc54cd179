import ArgumentParser
import Foundation
import ServiceKit

/// `utilis`: the operators' command line.
@main
struct Utilis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "utilis",
        abstract: "Operate a Utilis installation: process models, contracts, dead letters, pings and benchmarks.",
        version: UtilisVersion.current,
        subcommands: [BPMNCommand.self, DeployCommand.self, MessageCommand.self, ContractsCommand.self, DeadLettersCommand.self, PingCommand.self, TariffCommand.self, ReportsCommand.self, BenchCommand.self])
}

/// Where the broker and the database are, for every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The broker, as amqp://user:password@host:port/vhost.")
    var amqpURL = ProcessInfo.processInfo.environment["UTILIS_AMQP_URL"] ?? "amqp://utilis:utilis@127.0.0.1:5672/utilis"

    @Option(help: "A database server account that may create databases (benchmarks).")
    var databaseURL = ProcessInfo.processInfo.environment["UTILIS_DATABASE_URL"] ?? "postgresql://utilis@127.0.0.1:5433/postgres"
}

