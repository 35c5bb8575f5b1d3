// Requests to a function's handler, and the error envelope it answers with.

export function jsonPost(url: string, body: unknown, token?: string, method = 'POST'): Request {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return new Request(url, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body) });
}

export async function readError(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = await response.json() as { error?: { code?: string; message?: string } };
  return { status: response.status, code: body.error?.code ?? '', message: body.error?.message ?? '' };
}
