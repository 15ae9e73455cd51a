'use strict'
// The `for await` protocol of a watch (KvWatch, ObjectWatch): each step is
// the watch's next(); the loop ends when next() rejects with CLOSED (after
// stop() or once the client is closed, as a message stream's loop does);
// leaving the loop stops the watch. Other errors are thrown.

/** An async iterator over `watch` (an object with next() and stop()). */
function watchIterator(watch) {
  return {
    async next() {
      try {
        return { value: await watch.next(), done: false }
      } catch (e) {
        if (e && e.code === 'CLOSED') return { value: undefined, done: true }
        throw e
      }
    },
    async return(value) {
      watch.stop()
      return { value, done: true }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

module.exports = { watchIterator }
