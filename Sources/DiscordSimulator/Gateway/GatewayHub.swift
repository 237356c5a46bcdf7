import Foundation

/// Gateway sessions of the simulated Discord: who is connected, each session's sequence and replay buffer, the
/// identify budget and the counters. Connections (``GatewayConnection``) speak the protocol; the hub keeps the
/// state that outlives a connection, so a session can be resumed on a new one.
actor GatewayHub {
    /// A session: created by IDENTIFY, attached to at most one connection, kept for resuming when detached.
    struct Session {
        let id: String
        let botIndex: Int
        let intents: Int
        let shard: (id: Int, count: Int)?
        var sequence = 0
        /// Sent dispatches, oldest first, for RESUME replay (bounded by `replayLimit`).
        var replay: [(sequence: Int, frame: [UInt8])] = []
        var connection: UInt64?
        var detachedAt: Double?

        var messageContent: Bool { intents & GatewayIntent.messageContent != 0 }

        func receives(guildId: UInt64?) -> Bool {
            guard let shard else { return true }
            guard let guildId else { return shard.id == 0 }
            return Int((guildId >> 22) % UInt64(max(shard.count, 1))) == shard.id
        }
    }

    struct Connection {
        let continuation: AsyncStream<GatewayOutbound>.Continuation
        var sessionId: String?
        var lastHeartbeat: Double
        var sends: [Double] = []
    }

    /// Answer to an IDENTIFY.
    enum IdentifyOutcome: Sendable {
        case ready
        case alreadyIdentified
        case overConcurrency
        case budgetExhausted
    }

    let configuration: GatewayConfiguration
    private var sessions: [String: Session] = [:]
    private var connections: [UInt64: Connection] = [:]
    private var nextConnection: UInt64 = 1
    private var identifyTimes: [Int: [Double]] = [:]
    private var identifiesUsed: [Int: Int] = [:]
    private var counters = GatewayStats()

    init(configuration: GatewayConfiguration) { self.configuration = configuration }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: Connections

    func open(_ continuation: AsyncStream<GatewayOutbound>.Continuation) -> UInt64 {
        let id = nextConnection
        nextConnection += 1
        connections[id] = Connection(continuation: continuation, lastHeartbeat: Self.now())
        return id
    }

    /// Counts a payload received from the client; false when it is over 120 per 60 s (close 4008).
    func countSend(_ connection: UInt64) -> Bool {
        guard var state = connections[connection] else { return false }
        let now = Self.now()
        state.sends.removeAll { now - $0 >= configuration.sendWindow }
        state.sends.append(now)
        connections[connection] = state
        return state.sends.count <= configuration.sendLimit
    }

    func heartbeat(_ connection: UInt64) {
        connections[connection]?.lastHeartbeat = Self.now()
        send(connection, Self.frame(op: 11))
    }

    /// Whether a connection sent no heartbeat for 1.5 intervals.
    func isZombie(_ connection: UInt64) -> Bool {
        guard let state = connections[connection] else { return true }
        return Self.now() - state.lastHeartbeat > configuration.heartbeatInterval * 1.5
    }

    func isIdentified(_ connection: UInt64) -> Bool { connections[connection]?.sessionId != nil }

    /// Sends raw frame bytes on a connection.
    func send(_ connection: UInt64, _ frame: [UInt8]) {
        connections[connection]?.continuation.yield(.text(frame))
    }

    /// Closes a connection from the server side; `endsSession` drops its session (4007, 4009 and the fatal codes).
    func close(_ connection: UInt64, code: UInt16, reason: String, endsSession: Bool) {
        guard let state = connections.removeValue(forKey: connection) else { return }
        state.continuation.yield(.close(code: code, reason: reason))
        state.continuation.finish()
        detach(state.sessionId, connection: connection, end: endsSession)
    }

    /// The client went away; a close code of 1000 or 1001 ends the session, anything else keeps it resumable.
    func closed(_ connection: UInt64, clientCode: UInt16?) {
        guard let state = connections.removeValue(forKey: connection) else { return }
        state.continuation.finish()
        detach(state.sessionId, connection: connection, end: clientCode == 1000 || clientCode == 1001)
    }

    private func detach(_ sessionId: String?, connection: UInt64, end: Bool) {
        guard let sessionId, sessions[sessionId]?.connection == connection else { return }
        if end {
            sessions[sessionId] = nil
        } else {
            sessions[sessionId]?.connection = nil
            sessions[sessionId]?.detachedAt = Self.now()
        }
    }

    // MARK: Identify and resume

    /// Counts an IDENTIFY refused before a session could start (bad token).
    func countRefusedIdentify() { counters.identifies += 1 }

    /// Identify budget left for a bot (`session_start_limit.remaining`).
    func identifiesRemaining(botIndex: Int) -> Int {
        max(0, configuration.identifyBudget - identifiesUsed[botIndex, default: 0])
    }

    /// Starts a session on `connection`: READY then the guild creates from `initial(sessionId)`.
    func identify(
        _ connection: UInt64, botIndex: Int, intents: Int, shard: (id: Int, count: Int)?,
        initial: @Sendable (String) -> [(name: String, guildId: UInt64?, payload: [UInt8])]
    ) -> IdentifyOutcome {
        counters.identifies += 1
        guard let state = connections[connection] else { return .alreadyIdentified }
        guard state.sessionId == nil else { return .alreadyIdentified }
        let now = Self.now()
        var times = identifyTimes[botIndex, default: []]
        times.removeAll { now - $0 >= configuration.identifyConcurrencyWindow }
        guard times.count < configuration.maxConcurrency else { return .overConcurrency }
        guard identifiesRemaining(botIndex: botIndex) > 0 else { return .budgetExhausted }
        times.append(now)
        identifyTimes[botIndex] = times
        identifiesUsed[botIndex, default: 0] += 1
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<16 { bytes.append(UInt8.random(in: 0...255)) }
        let sessionId = bytes.map { String(format: "%02x", $0) }.joined()
        sessions[sessionId] = Session(
            id: sessionId, botIndex: botIndex, intents: intents, shard: shard, connection: connection)
        connections[connection]?.sessionId = sessionId
        for event in initial(sessionId) { append(event.name, payload: event.payload, to: sessionId) }
        return .ready
    }

    /// Resumes a session on `connection`: replays every dispatch after `sequence`, then RESUMED. False (the caller
    /// sends op 9 `false`) when the session is unknown, belongs to another bot, or its replay no longer covers
    /// `sequence`.
    func resume(_ connection: UInt64, sessionId: String, botIndex: Int, sequence: Int) -> Bool {
        guard connections[connection] != nil, var session = sessions[sessionId], session.botIndex == botIndex
        else { return false }
        if let detachedAt = session.detachedAt, Self.now() - detachedAt > configuration.resumeWindow {
            sessions[sessionId] = nil
            return false
        }
        let oldest = session.replay.first?.sequence ?? session.sequence + 1
        guard sequence <= session.sequence, sequence >= oldest - 1 else { return false }
        if let previous = session.connection, previous != connection {
            // Resuming on a new connection takes the session over; the old one is closed.
            if let old = connections.removeValue(forKey: previous) {
                old.continuation.yield(.close(code: 4000, reason: "Session resumed elsewhere."))
                old.continuation.finish()
            }
        }
        session.connection = connection
        session.detachedAt = nil
        sessions[sessionId] = session
        connections[connection]?.sessionId = sessionId
        counters.resumes += 1
        for entry in session.replay where entry.sequence > sequence {
            send(connection, entry.frame)
            counters.eventsSent += 1
        }
        append("RESUMED", payload: Array("{}".utf8), to: sessionId)
        return true
    }

    // MARK: Dispatch

    /// Delivers an event to every session that may see it (intents, shard, visibility), buffering it for resumes.
    func dispatch(_ event: GatewayDispatch) {
        let now = Self.now()
        var cache: [Int: [UInt8]?] = [:]
        for (id, session) in sessions {
            if let detachedAt = session.detachedAt, now - detachedAt > configuration.resumeWindow {
                sessions[id] = nil
                continue
            }
            guard event.intents == 0 || session.intents & event.intents != 0,
                session.receives(guildId: event.guildId)
            else { continue }
            let key = session.botIndex * 2 + (session.messageContent ? 1 : 0)
            let payload: [UInt8]?
            if let cached = cache[key] {
                payload = cached
            } else {
                payload = event.render(session.botIndex, session.messageContent)
                cache[key] = payload
            }
            guard let payload else { continue }
            append(event.name, payload: payload, to: id)
        }
    }

    private func append(_ name: String, payload: [UInt8], to sessionId: String) {
        guard var session = sessions[sessionId] else { return }
        session.sequence += 1
        let frame = Self.dispatchFrame(name: name, sequence: session.sequence, payload: payload)
        session.replay.append((session.sequence, frame))
        if session.replay.count > configuration.replayLimit {
            session.replay.removeFirst(session.replay.count - configuration.replayLimit)
        }
        sessions[sessionId] = session
        if let connection = session.connection {
            send(connection, frame)
            counters.eventsSent += 1
        }
    }

    // MARK: Admin

    /// Closes every connection with `code` (sessions stay resumable unless the code ends them).
    func disconnectAll(code: UInt16) {
        let ends = GatewayCloseCode.endsSession(code)
        for id in Array(connections.keys) {
            close(id, code: code, reason: "Disconnected by the simulator.", endsSession: ends)
        }
    }

    /// Sends op 9 `d:false` to every session's connection and forgets every session.
    func invalidateAll() {
        for (_, session) in sessions {
            if let connection = session.connection {
                send(connection, Self.frame(op: 9, data: "false"))
                connections[connection]?.sessionId = nil
            }
        }
        sessions.removeAll()
    }

    /// Sends a server heartbeat request (op 1) or a RECONNECT (op 7) to every connection.
    func broadcast(op: Int) {
        for id in connections.keys { send(id, Self.frame(op: op)) }
    }

    func stats() -> GatewayStats {
        var stats = counters
        stats.sessions = sessions.count
        return stats
    }

    // MARK: Frames

    static func frame(op: Int, data: String = "null") -> [UInt8] {
        Array("{\"t\":null,\"s\":null,\"op\":\(op),\"d\":\(data)}".utf8)
    }

    static func dispatchFrame(name: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        var w = JSONWriter(capacity: payload.count + 64)
        w.beginObject()
        w.key("t")
        w.string(name)
        w.key("s")
        w.int(sequence)
        w.key("op")
        w.int(0)
        w.key("d")
        w.raw(payload)
        w.endObject()
        return w.bytes
    }
}
