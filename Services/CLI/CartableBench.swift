import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import Synchronization

/// `utilis bench cartable`: the cartable as its own process over a large inbox (a million tasks
/// for ten thousand users in fifty groups, loaded straight into its database), its inbox listing
/// under a steady load from this process, and the time from a `task-created` event to the task
/// being visible in the API.
struct CartableBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartable", abstract: "Inbox latency over a million tasks, and event-to-visible latency.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Tasks loaded.") var tasks = 1_000_000
    @Option(help: "Users, spread over the groups.") var users = 10_000
    @Option(help: "Groups.") var groups = 50
    @Option(help: "Inbox requests per second.") var rate = 500
    @Option(help: "Seconds of inbox load.") var seconds = 30
    @Option(help: "Events timed from publish to visible.") var events = 200
    @Option(help: "The cartable's executable (default: beside this one).") var cartable: String?
    @Flag(help: "Keep the data of the last run (same sizes) instead of loading it again.") var reuse = false

    func run() async throws {
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_cartable", admin: admin, keep: reuse, logger: logger)

        let port = 19_500 + Int(getpid() % 400)
        let service = try ServiceProcess.start(
            executable: cartable ?? ServiceProcess.besideThisExecutable("Cartable"),
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0",
                "UTILIS_GATEWAY_PORT": "\(port)", "UTILIS_LOG_LEVEL": "warning"])
        defer { service.stop() }
        try await service.waitUntil("the gateway answers") { (try? BlockingHTTP.get(port: port, path: "/api/tasks", token: nil))?.status == 401 }

        let db = PostgresConnection(configuration: database, logger: logger)
        let loadStarted = ContinuousClock.now
        let loaded = try await db.query("SELECT count(*) FROM tasks WHERE process_id = 'new-connection'").scalar(Int.self)
        if loaded == 0 {
            try await CartableBenchData.load(tasks: tasks, users: users, groups: groups, on: db)
        } else if loaded != tasks {
            throw ValidationError("the kept data has \(loaded) tasks, not \(tasks): run without --reuse")
        }
        let loadSeconds = (ContinuousClock.now - loadStarted).seconds
        let open = try await db.query("SELECT count(*) FROM tasks WHERE status = 'open'").scalar(Int.self)

        print("utilis bench cartable")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, the cartable (one process, pid \(service.pid)) and this one,")
        print("       \(tasks) tasks (\(open) open) for \(users) users in \(groups) groups, loaded in \(String(format: "%.0f", loadSeconds)) s straight into \(database.redacted);")
        print("       each user in one group (one in twenty in two), a task's candidates one group, three in ten assigned")

        // The inbox: GET /api/tasks (50 a page) for a user picked at random, at a steady rate
        // from threads of this process; latency counted from when each request was due.
        let latencies = try InboxLoad(port: port, rate: rate, seconds: seconds, users: users).run()
        func percentile(_ values: [Double], _ p: Double) -> Double {
            values.isEmpty ? .nan : values[min(values.count - 1, Int(Double(values.count) * p))] * 1000
        }
        print(String(format: "inbox: %d requests at %d/s over %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 20 ms)",
            latencies.count, rate, seconds, percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1)))

        // Event to visible: a task-created published for user 0's group, then its page asked for
        // every 2 ms until it answers.
        let publisher = AMQPConnection(configuration: amqp, name: "bench-events", logger: logger)
        var visible: [Double] = []
        for index in 0..<events {
            let instance = UUID().lowercasedText
            let task = TaskCreated(
                taskId: "\(instance):\(index + 1)", instanceId: instance, processId: "bench", processName: "Bench", version: 1,
                elementId: "review", name: "Review", businessKey: "B-\(index)", assignee: nil, candidateUsers: [],
                candidateGroups: [CartableBenchData.group(0)], dueDate: nil, followUpDate: nil, priority: 50, formKey: nil, variables: [:])
            let sent = ContinuousClock.now
            _ = try await publisher.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.events, routingKey: TaskCreated.routingKey,
                    properties: Envelope(type: TaskCreated.type, actor: "system:bench").properties(), body: try JSONBody.encode(task))
            ])
            while (try? BlockingHTTP.get(port: port, path: "/api/tasks/\(task.taskId)", token: CartableBenchData.token(0)))?.status != 200 {
                try await Task.sleep(for: .milliseconds(2))
                if ContinuousClock.now - sent > .seconds(10) { throw ValidationError("task \(task.taskId) not visible after 10 s") }
            }
            visible.append((ContinuousClock.now - sent).seconds)
        }
        await publisher.close()
        visible.sort()
        print(String(format: "event to visible: %d task-created events: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 200 ms)",
            visible.count, percentile(visible, 0.5), percentile(visible, 0.99), percentile(visible, 1)))
        let memory = service.residentMemory()
        print(String(format: "cartable: resident memory %.0f MiB now, %.0f MiB peak", memory.current, memory.peak))
        await db.close()
    }
}

/// The benchmark's employees and tasks, written with a few set-based statements.
enum CartableBenchData {
    static func group(_ index: Int) -> String { "g" + String(index).leftPadded(2) }
    static func token(_ user: Int) -> String { "bench-token-\(user)" }

    static func load(tasks: Int, users: Int, groups: Int, on db: PostgresConnection) async throws {
        try await db.query("INSERT INTO groups (name, title) SELECT 'g' || lpad(g::text, 2, '0'), 'Group ' || g FROM generate_series(0, $1 - 1) g", [groups])
        // No one signs in with a password here: sessions are made directly, with known tokens.
        try await db.query(
            "INSERT INTO users (username, display_name, password_hash) SELECT 'u' || u, 'User ' || u, '-' FROM generate_series(0, $1 - 1) u", [users])
        try await db.query(
            """
            INSERT INTO memberships (username, group_name)
            SELECT 'u' || u, 'g' || lpad((u % $2)::text, 2, '0') FROM generate_series(0, $1 - 1) u
            UNION ALL SELECT 'u' || u, 'g' || lpad(((u / 20 + 1) % $2)::text, 2, '0') FROM generate_series(0, $1 - 1) u
            WHERE u % 20 = 0 AND (u / 20 + 1) % $2 <> u % $2
            """, [users, groups])
        try await db.query(
            """
            INSERT INTO sessions (token_hash, username, csrf_token, expires_at)
            SELECT sha256(convert_to('bench-token-' || u, 'UTF8')), 'u' || u, 'csrf', now() + interval '1 day' FROM generate_series(0, $1 - 1) u
            """, [users])
        // Task n: candidates group n % groups; three in ten assigned to a member of it; four in
        // five open; made over the last thirty days.
        try await db.query(
            """
            INSERT INTO tasks (id, instance_id, process_id, process_name, version, element_id, name, business_key, assignee,
                candidate_users, candidate_groups, priority, variables, status, created_at)
            SELECT md5(n::text)::uuid::text || ':1', md5(n::text)::uuid, 'new-connection', 'New connection', 1, 'siteSurvey', 'Site survey',
                'REQ-' || n, CASE WHEN n % 10 < 3 THEN 'u' || ((n % $2) + $2 * ((n / 7) % ($3 / $2))) END,
                '{}', ARRAY['g' || lpad((n % $2)::text, 2, '0')], n % 100,
                jsonb_build_object('customerId', 'C-' || n, 'address', 'Street ' || (n % 997)),
                CASE WHEN n % 5 = 0 THEN 'completed' ELSE 'open' END, now() - make_interval(secs => (n % 2592000))
            FROM generate_series(0, $1 - 1) n
            """, [tasks, groups, users])
        // Who each open task is for, as the cartable keeps it (Audience.refresh, set-based).
        try await db.query(
            """
            INSERT INTO task_audience (principal, created_at, task_id, assigned)
            SELECT 'group:' || g, t.created_at, t.id, t.assignee IS NOT NULL FROM tasks t, unnest(t.candidate_groups) g WHERE t.status = 'open'
            UNION ALL
            SELECT 'assignee:' || t.assignee, t.created_at, t.id, true FROM tasks t WHERE t.status = 'open' AND t.assignee IS NOT NULL
            """)
        try await db.run(script: "VACUUM ANALYZE")
    }
}

/// Inbox requests at a steady rate from a pool of threads (blocking sockets, off Swift's
/// cooperative pool), each thread on one kept-alive connection as a browser or wrk would; each
/// latency runs from when its request was due, so a slow answer that delays the next is
/// counted in full.
struct InboxLoad {
    let port: Int
    let rate: Int
    let seconds: Int
    let users: Int

    func run() throws -> [Double] {
        let threads = 16
        let results = Mutex<[Double]>([])
        let failures = Atomic<Int>(0)
        let start = Date().timeIntervalSince1970 + 0.2
        let total = rate * seconds
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                let client = KeepAliveHTTP(port: port)
                var mine: [Double] = []
                var generator = SystemRandomNumberGenerator()
                var index = thread
                while index < total {
                    let due = start + Double(index) / Double(rate)
                    let wait = due - Date().timeIntervalSince1970
                    if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
                    let user = Int.random(in: 0..<users, using: &generator)
                    let status = try? client.get("/api/tasks?limit=50", token: CartableBenchData.token(user))
                    if status != 200 { failures.add(1, ordering: .relaxed) }
                    mine.append(Date().timeIntervalSince1970 - due)
                    index += threads
                }
                results.withLock { $0 += mine }
                group.leave()
            }
        }
        group.wait()
        let failed = failures.load(ordering: .relaxed)
        if failed > 0 { throw ValidationError("\(failed) inbox requests did not answer 200") }
        return results.withLock { $0 }.sorted()
    }
}

/// HTTP/1.1 GETs on one connection, kept alive and opened again when the server closes it.
final class KeepAliveHTTP {
    let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(port: Int) { self.port = port }
    deinit { if fd >= 0 { close(fd) } }

    /// The status of the answer; its body is read and dropped.
    func get(_ path: String, token: String) throws -> Int {
        if fd < 0 { try open() }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
        if request.withCString({ send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }) <= 0 { try reopen(); return try get(path, token: token) }
        // The head, then as many bytes as Content-Length says.
        var headEnd: Int?
        while headEnd == nil {
            try fill()
            headEnd = buffer.indices.dropLast(3).first { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let total = headEnd! + 4 + length
        while buffer.count < total { try fill() }
        buffer.removeFirst(total)
        return status
    }

    private func open() throws {
        fd = try BlockingHTTP.connectLocal(port: port)
        buffer.removeAll()
    }

    private func reopen() throws {
        close(fd)
        try open()
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else {
            try reopen()
            throw ValidationError("the connection closed in the middle of an answer")
        }
        buffer += chunk[0..<count]
    }
}

/// A plain blocking HTTP/1.1 GET on a connection of its own: the benchmark's client.
enum BlockingHTTP {
    /// A TCP connection to 127.0.0.1.
    static func connectLocal(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ValidationError("nothing listens on \(port)")
        }
        return fd
    }

    static func get(port: Int, path: String, token: String?) throws -> (status: Int, body: String) {
        let fd = try connectLocal(port: port)
        defer { close(fd) }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        return (Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0, text.components(separatedBy: "\r\n\r\n").dropFirst().joined())
    }
}

extension String {
    func leftPadded(_ length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
