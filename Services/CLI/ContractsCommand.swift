import ArgumentParser
import Contracts
import Foundation

struct ContractsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts", abstract: "The messages that cross service boundaries.",
        subcommands: [AsyncAPICommand.self, ListCommand.self])

    struct AsyncAPICommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "asyncapi", abstract: "Print the AsyncAPI 3.0 document (kept in docs/asyncapi.json).")

        func run() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(AsyncAPI.document()), as: UTF8.self))
        }
    }

    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every message type.")

        func run() {
            for contract in Catalog.messages {
                print("\(contract.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(contract.type)  \(contract.summary)")
            }
        }
    }
}
