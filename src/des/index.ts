export { Kernel, fn, type Handler } from './kernel.js';
export { EventHeap } from './event-heap.js';
export { IntQueue } from './int-queue.js';
