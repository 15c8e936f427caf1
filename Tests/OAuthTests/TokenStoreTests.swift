import Foundation
import OAuth
import Testing

struct TokenStoreTests {
    static func token(
        _ server: String = "https://mcp.example/mcp", access: String = "AT-1", refresh: String? = "RT-1",
        at time: Double = 1000
    ) -> StoredToken {
        StoredToken(
            serverURL: server, issuer: "https://auth.example", resource: server,
            tokenEndpoint: "https://auth.example/token",
            clientId: "client", accessToken: access, refreshToken: refresh, scopes: ["read"], expiresAt: time + 3600,
            obtainedAt: time
        )
    }

    private func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("defaultPath: XDG_STATE_HOME when absolute, else HOME/.local/state")
    func defaultPath() {
        #expect(
            TokenStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/gatehouse/tokens.json")
        #expect(
            TokenStore.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"])
                == "/h/.local/state/gatehouse/tokens.json")
        #expect(TokenStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/gatehouse/tokens.json")
    }

    @Test("a missing store reads empty; a write creates the folder 0700 and the file 0600, and reads back")
    func roundTrip() throws {
        let root = try temporaryDirectory()
        let store = TokenStore(path: root + "/state/gatehouse/tokens.json")
        #expect(try store.read() == TokenStoreContents())
        #expect(!FileManager.default.fileExists(atPath: root + "/state"))
        let client = StoredClient(
            issuer: "https://auth.example", clientId: "c", clientSecret: "s",
            redirectURIs: ["http://127.0.0.1:1/callback"], kind: "dynamic")
        var token = Self.token()
        token.clientSecret = "shh"
        token.tokenEndpointAuthMethod = "client_secret_basic"
        try store.update { contents in
            contents.upsert(token)
            contents.upsert(client)
        }
        #expect(try mode(store.path) == 0o600)
        #expect(try mode(root + "/state/gatehouse") == 0o700)
        #expect(try mode(root + "/state") == 0o700)
        let read = try store.read()
        #expect(read.tokens == [token])
        #expect(read.clients == [client])
        #expect(read.token(forServer: "HTTPS://mcp.example:443/mcp") == token)
        #expect(read.token(forServer: "https://mcp.example/other") == nil)
    }

    @Test(
        "writes are atomic: a new inode replaces the file, no temporary file is left, an unchanged update writes nothing"
    )
    func atomic() throws {
        let root = try temporaryDirectory()
        let store = TokenStore(path: root + "/tokens.json")
        try store.update { $0.upsert(Self.token()) }
        let firstInode = try #require(
            FileManager.default.attributesOfItem(atPath: store.path)[.systemFileNumber] as? UInt64)
        try store.update { $0.upsert(Self.token(access: "AT-2")) }
        let secondInode = try #require(
            FileManager.default.attributesOfItem(atPath: store.path)[.systemFileNumber] as? UInt64)
        #expect(firstInode != secondInode)
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(names == ["tokens.json", "tokens.json.lock"])
        let count = try store.update { $0.tokens.count }
        #expect(count == 1)
        let thirdInode = try #require(
            FileManager.default.attributesOfItem(atPath: store.path)[.systemFileNumber] as? UInt64)
        #expect(thirdInode == secondInode)
    }

    @Test(
        "a store that does not parse is auth.failed naming the file, and is left byte for byte",
        arguments: [
            "{not json", #"{"version": 2, "tokens": []}"#, #"{"version": 1, "tokens": [{"serverURL": "x"}]}"#, "[]",
        ])
    func corrupt(_ text: String) throws {
        let root = try temporaryDirectory()
        let store = TokenStore(path: root + "/tokens.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: OAuthError.self) { try store.read() }
        do {
            try store.update { $0.upsert(Self.token()) }
            Issue.record("update of a corrupt store succeeded")
        } catch {
            #expect(error.code == .failed)
            #expect(error.message.contains(store.path))
            #expect(error.message.contains("left untouched"))
        }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == text)
    }

    @Test("logout removes one server's tokens or all; clients stay")
    func logout() throws {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        try store.update { contents in
            contents.upsert(Self.token("https://a.example/mcp"))
            contents.upsert(Self.token("https://b.example/mcp"))
            contents.upsert(
                StoredClient(issuer: "https://auth.example", clientId: "c", redirectURIs: [], kind: "dynamic"))
        }
        #expect(try store.logout(serverURL: "https://a.example/mcp") == 1)
        #expect(try store.logout(serverURL: "https://a.example/mcp") == 0)
        #expect(try store.read().tokens.map(\.serverURL) == ["https://b.example/mcp"])
        #expect(try store.logout(serverURL: nil) == 1)
        let after = try store.read()
        #expect(after.tokens.isEmpty && after.clients.count == 1)
    }

    @Test("concurrent read-modify-writes from many threads lose nothing (the flock serialises them)")
    func concurrentUpdates() throws {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        let failures = Shared(0)
        let group = DispatchGroup()
        for index in 0..<16 {
            group.enter()
            Thread.detachNewThread {
                do {
                    try store.update { contents in
                        // Widens the read-modify-write window, so that a missing lock loses updates.
                        Thread.sleep(forTimeInterval: 0.005)
                        contents.upsert(Self.token("https://s\(index).example/mcp"))
                    }
                } catch {
                    failures.update { $0 += 1 }
                }
                group.leave()
            }
        }
        group.wait()
        #expect(failures.current == 0)
        #expect(try store.read().tokens.count == 16)
    }

    @Test("while one thread holds the lock, another's read waits for it")
    func lockExcludes() async throws {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        let events = Shared<[String]>([])
        let holding = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? store.update { contents in
                holding.signal()
                Thread.sleep(forTimeInterval: 0.4)
                contents.upsert(Self.token())
                events.update { $0.append("written") }
            }
            finished.signal()
        }
        holding.wait()
        let read = try store.read()
        events.update { $0.append("read \(read.tokens.count)") }
        finished.wait()
        #expect(events.current == ["written", "read 1"])
    }
}
