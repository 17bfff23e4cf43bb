package io.parley.gateway.webclient;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped web client, driven in Debian's headless Chromium: sign up in the page, open a direct chat by
 * handle, send a message (shown with its stored tick once acknowledged), and receive the reply live.
 */
class WebClientBrowserIT extends IntegrationTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        // a missing browser is a failure, never a silent skip: .ci/run installs Debian's packages when they are absent
        assertThat(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute())
                .as("Debian chromium and chromium-driver must be installed (apt-get install chromium chromium-driver)")
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void signUpChatAndReceiveLive() {
        User bob = api.signUp("bob");
        String handle = Api.uniqueHandle("web");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get("http://127.0.0.1:" + port + "/");
        browser.findElement(By.id("handle")).sendKeys(handle);
        browser.findElement(By.id("display-name")).sendKeys("Web User");
        browser.findElement(By.id("password")).sendKeys(Api.PASSWORD);
        browser.findElement(By.id("sign-up-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"), "@" + handle));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "online"));

        browser.findElement(By.id("peer-handle")).sendKeys(bob.handle());
        browser.findElement(By.id("new-chat-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-text")));

        String text = "hello from the browser " + UUID.randomUUID();
        browser.findElement(By.id("message-text")).sendKeys(text);
        browser.findElement(By.id("send-button")).click();
        // the pending copy becomes the stored message: seq 1 with a single tick
        WebElement sent;
        try {
            sent = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages li.mine[data-seq='1']")));
        } catch (RuntimeException e) {
            // what the page showed, for the failure report
            System.out.println("page at failure: " + browser.getPageSource());
            throw e;
        }
        assertThat(sent.getText()).contains(text);

        // Bob sees it in his history, and answers through REST
        JsonNode inbox = api.get("/api/conversations", bob.accessToken()).json();
        String conversationId = inbox.get(0).get("id").asText();
        JsonNode history = api.get("/api/conversations/" + conversationId + "/messages", bob.accessToken()).json();
        assertThat(history.get("messages").get(0).get("text").asText()).isEqualTo(text);
        api.post("/api/conversations/" + conversationId + "/messages",
                Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "hi, browser"), bob.accessToken());

        // ...and the reply arrives live in the page, without a reload
        WebElement reply = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages li[data-seq='2']")));
        assertThat(reply.getText()).contains("hi, browser");
        assertThat(reply.getAttribute("class")).doesNotContain("mine");
    }
}
