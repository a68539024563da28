/** A one-line progress bar for a TTY (`eval run`); redraws in place, ends with a newline. */
export function progressBar(stream: NodeJS.WriteStream, width = 30): (done: number, total: number, label: string) => void {
  return (done, total, label) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`);
    if (done === total) stream.write('\n');
  };
}
