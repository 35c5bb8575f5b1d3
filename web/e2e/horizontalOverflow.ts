// Runs in the page (page.evaluate): everything that makes a page, or a box inside it, scroll
// sideways, or sticks out past the right edge of the window. Self-contained, as evaluate needs.
export function horizontalOverflow(): string[] {
  const width = window.innerWidth;
  const problems: string[] = [];
  const describe = (element: Element) => {
    const text = (element.textContent ?? '').trim().slice(0, 40);
    return `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}">${text}`;
  };
  if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  if (document.body.scrollWidth > width) problems.push(`the body is ${document.body.scrollWidth}px wide`);
  for (const element of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (/(auto|scroll)/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`${describe(element)} scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`);
    }
    const box = element.getBoundingClientRect();
    // Boxes clipped to 1px (visually hidden text) and boxes parked off-screen to the left are fine.
    if (box.width > 1 && box.left >= 0 && box.right > width + 1) problems.push(`${describe(element)} ends at ${Math.round(box.right)}px`);
  }
  return problems;
}
