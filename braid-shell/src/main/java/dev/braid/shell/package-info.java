/**
 * The braid shell: {@link dev.braid.shell.Shell} runs the CQL subset of braid-cql against a
 * {@link dev.braid.shell.ShellBackend}, interactively (JLine) or from scripts.
 */
package dev.braid.shell;
