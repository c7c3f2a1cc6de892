/*
 * The demo users of the embedded start live in libs/auth/demo-users.ts (the API's demo sign-in needs them too);
 * the scripts import them from here.
 */
export { DEMO_USERS, SIGN_IN_DEMO_USERS, demoSigning, demoToken, demoUser } from '../libs/auth/demo-users.js';
