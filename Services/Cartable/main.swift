// The cartable service: see Cartable.swift.
import Foundation

let environment = ProcessInfo.processInfo.environment
guard let port = Int(environment["UTILIS_GATEWAY_PORT"] ?? "8080"), (0...65535).contains(port) else {
    FileHandle.standardError.write(Data("cartable: UTILIS_GATEWAY_PORT must be a port number\n".utf8))
    exit(78)  // EX_CONFIG
}
do {
    try await Cartable(gatewayPort: port, peopleFile: environment["UTILIS_PEOPLE_FILE"]).runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("cartable: \(error)\n".utf8))
    exit(1)
}
