/**
 * Every place Parley's host bends netty-socketio (private fields, subclasses of its implementation
 * classes) lives here, so an upgrade of the library has one room to check. Written against
 * netty-socketio 2.0.14; {@link app.parley.engine.patch.NettySocketIoPatches} refuses to start a
 * host on any other version.
 */
package app.parley.engine.patch;
