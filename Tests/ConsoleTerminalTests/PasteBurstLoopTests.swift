import ConsoleTerminal
import ConsoleUI
import Testing

/// An unbracketed paste arrives as keys, all at once: the Enter in it may open a confirmation,
/// but the keys that came with that Enter never answer it. A person's `y`, pressed after the
/// dialog showed, still does.
@Suite struct PasteBurstLoopTests {
    @Test("R23: a y in the same burst as the Enter that opened the confirmation is dropped, and the screen says so")
    func R23_keysInTheBurstOfTheOpeningEnterNeverConfirm() throws {
        let (loop, backend, host, _) = try ConsoleLoopTests.loop(as: "sam")
        backend.schedule(.key(.character("t")), at: 10)
        backend.schedule(.key(.enter), at: 20)
        backend.schedule(.key(.character("y")), at: 20)
        backend.schedule(.key(.character("e")), at: 20)
        backend.schedule(.key(.control("c")), at: 40)
        loop.run()
        #expect(host.writes.isEmpty, "the pasted y confirmed the purchase")
        #expect(loop.state.dialog != nil, "the confirmation stays open for a key pressed after it")
        #expect(loop.state.flash?.text.hasPrefix("ignored 2 keys that came in with the one that opened this") == true,
                "\(String(describing: loop.state.flash))")
    }

    @Test("R23: a y pressed after the confirmation opened still confirms")
    func R23_aLaterYStillConfirms() throws {
        let (loop, backend, host, _) = try ConsoleLoopTests.loop(as: "sam")
        backend.schedule(.key(.character("t")), at: 10)
        backend.schedule(.key(.enter), at: 20)
        backend.schedule(.key(.character("y")), at: 21)
        backend.schedule(.key(.control("c")), at: 40)
        loop.run()
        #expect(host.writes == [21])
    }

    @Test("a bracketed paste on the top-up picker neither opens nor answers a confirmation")
    func aPasteOnAPickerDoesNothing() throws {
        let (loop, backend, host, _) = try ConsoleLoopTests.loop(as: "sam")
        backend.schedule(.key(.character("t")), at: 10)
        backend.schedule(.paste("\ny\n"), at: 20)
        backend.schedule(.key(.control("c")), at: 40)
        loop.run()
        #expect(host.writes.isEmpty)
        #expect(loop.state.dialog == nil)
    }
}
