/**
 * Every place Parley's client bends socket.io-client-java and its engine.io-client (private fields,
 * implementation classes) lives here, so an upgrade of the library has one room to check. Written
 * against socket.io-client-java 2.1.2; on any other version
 * {@link app.parley.join.patch.ClientLibraryPatches} logs once and every patch skips itself.
 */
package app.parley.join.patch;
