// The API's types for api() (api.js), from the client openapi-typescript
// generates from the server's own OpenAPI document ('rapport-api': made by
// web/tests/typecheck.sh, which `make test` runs).  A call to a path the
// API does not have, with a method that path does not take, with a path
// parameter, query argument or body member the route does not name, or
// with a body of the wrong shape fails the type check; the reply has the
// route's type.
import type { paths } from 'rapport-api';

type Base = '/api/v1';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Op<K extends keyof paths, M extends Method> = NonNullable<paths[K][Lowercase<M>]>;

/** The paths under /api/v1 that take method M, as the document writes them: '/customers/{id}'. */
export type ApiPath<M extends Method> = {
  [K in keyof paths]: K extends `${Base}${infer P}` ? ([Op<K, M>] extends [never] ? never : P) : never;
}[keyof paths];

type Operation<M extends Method, P extends ApiPath<M>> = Op<`${Base}${P}` & keyof paths, M>;

type PathArgs<O> = O extends { parameters: { path: infer X } }
  ? { params: { [K in keyof X]: string | number } }
  : { params?: never };
// query values as typed, or as the text a form holds
type Query<X> = { [K in keyof X]: X[K] | string };
type QueryArgs<O> = O extends { parameters: { query: infer X } }
  ? { query: Query<X> }
  : O extends { parameters: { query?: infer X } }
    ? [X] extends [never] ? { query?: never } : { query?: Query<X> }
    : { query?: never };
type BodyArgs<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : { body?: never };

/** What a call to method path takes besides them: {params} for the path's {x}, {query}, {body}. */
export type ApiArgs<M extends Method, P extends ApiPath<M>> = Operation<M, P> extends infer O
  ? PathArgs<O> & QueryArgs<O> & BodyArgs<O>
  : never;

type Content<R> = R extends { content: { 'application/json': infer B } } ? B : R extends { content: { 'text/plain': infer T } } ? T : never;

type Done<R> = R extends { 200: infer OK } ? Content<OK> : R extends { 201: infer C } ? Content<C> : never;
type Kept<R> = R extends { 202: infer A } ? Content<A> : never;

/** The route's reply: its 200 or 201, or its 202 where the change may wait for a second administrator
 * ({request, status: 'pending'}: tell them apart with 'request' in reply). */
export type ApiReply<M extends Method, P extends ApiPath<M>> = Operation<M, P> extends { responses: infer R }
  ? Done<R> | Kept<R>
  : never;

/** The API's shapes by name: Shape<'Customer360'>. */
export type Shape<N extends keyof import('rapport-api').components['schemas']> = import('rapport-api').components['schemas'][N];

type Pascal<S extends string> = S extends `${infer A}_${infer B}` ? `${Capitalize<A>}${Pascal<B>}` : Capitalize<S>;
/** A value of a vocabulary list: Term<'contact_kind'> is 'mobile' | 'phone' | ... */
export type Term<N extends keyof Shape<'Vocabulary'>> = Shape<Pascal<N> & keyof import('rapport-api').components['schemas']>;
