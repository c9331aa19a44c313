/**
 * Where Parley bends JmDNS, written against JmDNS 3.6.3 (pom.xml's {@code jmdns.version}).
 * {@link app.parley.discovery.patch.JmdnsPatches} checks the version on the class path; on any
 * other it logs once and the patch steps aside, so discovery still works, only more slowly to
 * notice a goodbye.
 */
package app.parley.discovery.patch;
