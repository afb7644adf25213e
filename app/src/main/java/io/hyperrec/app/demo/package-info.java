/**
 * The embedded runtime assembled: broker, MiniCluster, jobs, model store and HTTP in one JVM
 * ({@link io.hyperrec.app.demo.Platform}), and the replay that drives it ({@link
 * io.hyperrec.app.demo.Replay}).
 */
package io.hyperrec.app.demo;
